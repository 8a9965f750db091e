"""A past shift in 黄浦区 with volunteers who checked in and out, built with the ORM.

The shift ran 09:00–12:00 Shanghai time two days ago; services take `now=` so tests move
time (deadlines, escalation) without sleeping.
"""

import datetime
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from gongyi.attendance.models import Attendance
from gongyi.orgs.models import Membership
from gongyi.projects.models import ServicePoint
from gongyi.service import services
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_org, make_user, make_volunteer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(year, month, day, hour=0, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def place(volunteer, shift) -> Signup:
    """A confirmed signup, as if the volunteer had signed up before the shift."""
    shift.taken += 1
    shift.save(update_fields=["taken"])
    return Signup.objects.create(volunteer=volunteer, shift=shift, status="confirmed")


def attend(signup, *, late_minutes=0, early_minutes=0, out=True, by=None) -> Attendance:
    """Check-in and check-out rows as the attendance app leaves them."""
    shift = signup.shift
    return Attendance.objects.create(
        signup=signup,
        checked_in_at=shift.starts_at + timedelta(minutes=late_minutes),
        checked_out_at=shift.ends_at - timedelta(minutes=early_minutes) if out else None,
        in_method="qr",
        out_method="qr" if out else "",
    )


def past_shift(project, *, ended_days_ago=2, hours=3, start=None):
    if start is None:
        day = timezone.localdate() - timedelta(days=ended_days_ago)
        start = local(day.year, day.month, day.day, 9)
    point = ServicePoint.objects.create(
        project=project, name="人民广场服务点", address="人民大道200号"
    )
    return make_shift(project, capacity=20, start=start, hours=hours, point=point)


@pytest.fixture
def project(org):
    now = timezone.now()
    return make_project(
        org,
        recruit_start=now - timedelta(days=60),
        recruit_end=now - timedelta(days=30),
        service_start=(now - timedelta(days=29)).date(),
        service_end=(now + timedelta(days=30)).date(),
    )


@pytest.fixture
def shift(project):
    return past_shift(project)


@pytest.fixture
def leader(org):
    """A project leader of `org` (not an admin)."""
    user = make_user(display_name="李领队")
    Membership.objects.create(organisation=org, user=user, role="leader", status="active")
    return user


@pytest.fixture
def signup(volunteer, shift):
    return place(volunteer, shift)


@pytest.fixture
def attendance(signup):
    return attend(signup, late_minutes=10, early_minutes=20)  # 150 minutes of 180


@pytest.fixture
def record(attendance, leader):
    """The volunteer's confirmed record of 150 minutes."""
    result = services.confirm_shift_hours(actor=leader, shift=attendance.signup.shift)
    return result.created[0]


@pytest.fixture
def other_volunteer(db):
    return make_volunteer(real_name="周路人")


@pytest.fixture
def other_org_admin(other_district):
    user = make_user(display_name="别的组织管理员")
    make_org(other_district, admin=user)
    return user
