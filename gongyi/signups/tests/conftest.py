"""Projects, points and shifts for the signup tests, built straight with the ORM."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from gongyi.projects import next_starts
from gongyi.projects.models import Category, Project, ServicePoint, Shift
from gongyi.testing.people import make_user, make_volunteer

_serial = itertools.count(1)


def make_project(org, **extra) -> Project:
    now = timezone.now()
    category, _ = Category.objects.get_or_create(code="community", defaults={"name": "社区服务"})
    fields = dict(
        number=f"P310101{next(_serial):012d}",
        organisation=org,
        title="社区老人智能手机培训",
        category=category,
        district=org.district,
        recruit_start=now - timedelta(days=1),
        recruit_end=now + timedelta(days=5),
        service_start=(now + timedelta(days=6)).date(),
        service_end=(now + timedelta(days=30)).date(),
        contact_name="李四",
        contact_phone="13900001111",
        status=Project.Status.PUBLISHED,
        published_at=now,
    )
    fields.update(extra)
    return Project.objects.create(**fields)


def make_shift(project, *, capacity=10, start=None, hours=3, point=None, **extra) -> Shift:
    start = start or timezone.now() + timedelta(days=7)
    point = point or ServicePoint.objects.create(
        project=project, name=f"服务点{next(_serial)}", address="南京东路1号"
    )
    shift = Shift.objects.create(
        project=project,
        point=point,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        capacity=capacity,
        **extra,
    )
    next_starts.refresh([project.pk])
    return shift


@pytest.fixture
def project(org):
    return make_project(org)


@pytest.fixture
def shift(project):
    return make_shift(project, capacity=2)


@pytest.fixture
def leader(org):
    """A project leader of `org` (not an admin)."""
    from gongyi.orgs.models import Membership

    user = make_user(display_name="项目负责人")
    Membership.objects.create(organisation=org, user=user, role="leader", status="active")
    return user


@pytest.fixture
def other_org_admin(other_district):
    from gongyi.testing.people import make_org

    user = make_user(display_name="别的组织管理员")
    make_org(other_district, admin=user)
    return user


@pytest.fixture
def volunteers(db):
    return [make_volunteer(real_name=f"志愿者{i}") for i in range(5)]
