"""A project in 黄浦区 with a service point on the map and a shift under way, built with the ORM.

`T0` is the shift's start; services take `now=` so tests freeze time without sleeping.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongyi.orgs.models import Membership
from gongyi.projects.models import ServicePoint
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_user, make_volunteer

# The People's Square (人民广场), Shanghai.
POINT_LAT, POINT_LON = 31.2304, 121.4737


def confirm(volunteer, shift) -> Signup:
    shift.taken += 1
    shift.save(update_fields=["taken"])
    return Signup.objects.create(volunteer=volunteer, shift=shift, status="confirmed")


@pytest.fixture
def project(org):
    return make_project(org)


@pytest.fixture
def point(project):
    return ServicePoint.objects.create(
        project=project,
        name="人民广场服务点",
        address="人民大道200号",
        latitude=POINT_LAT,
        longitude=POINT_LON,
    )


@pytest.fixture
def shift(project, point):
    """Three hours, started half an hour ago: check-in is open now."""
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=30)
    return make_shift(project, capacity=10, start=start, hours=3, point=point)


@pytest.fixture
def t0(shift):
    return shift.starts_at


@pytest.fixture
def signup(volunteer, shift):
    return confirm(volunteer, shift)


@pytest.fixture
def leader(org):
    """A project leader of `org` (not an admin)."""
    user = make_user(display_name="李领队")
    Membership.objects.create(organisation=org, user=user, role="leader", status="active")
    return user


@pytest.fixture
def other_volunteer(db):
    return make_volunteer(real_name="周路人")


@pytest.fixture
def other_org_admin(other_district):
    from gongyi.testing.people import make_org

    user = make_user(display_name="别的组织管理员")
    make_org(other_district, admin=user)
    return user
