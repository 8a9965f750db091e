"""Projects, points and shifts the projects tests name, on top of the shared people."""

import datetime
import itertools
import json
import zoneinfo

import pytest
from django.utils import timezone

from gongyi.orgs.models import Membership
from gongyi.projects import services
from gongyi.projects.management.commands.load_categories import DATA_FILE
from gongyi.projects.models import Beneficiary, Category, Project
from gongyi.testing.people import make_org, make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


@pytest.fixture
def taxonomy(db):
    services.load_taxonomy(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def category(code: str) -> Category:
    return Category.objects.get(code=code)


def beneficiary(code: str) -> Beneficiary:
    return Beneficiary.objects.get(code=code)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def project_fields(district, **changes) -> dict:
    today = timezone.localdate()
    fields = dict(
        title=f"社区老人智能手机培训{next(_serial)}",
        summary="教社区老人使用智能手机",
        description="<p>帮助<strong>老人</strong>学会用手机挂号、扫码。</p>",
        category=category("science"),
        subcategory=category("science_digital"),
        beneficiaries=[beneficiary("elderly")],
        district=district,
        mode="onsite",
        recruit_start=timezone.now() - datetime.timedelta(days=1),
        recruit_end=timezone.now() + datetime.timedelta(days=60),
        service_start=today,
        service_end=today + datetime.timedelta(days=120),
        min_age=16,
        max_age=70,
        real_name_only=True,
        skills=["教学"],
        teams_only=[],
        review_required=False,
        allocation="first_come",
        cancel_hours_before=24,
        contact_name="袁小明",
        contact_phone="13812344567",
    )
    fields.update(changes)
    return fields


def make_project(
    org, admin, *, publish: bool = True, shifts: int = 1, capacity=10, **changes
) -> Project:
    """A project of `org` (by its admin), with one point and `shifts` daily shifts from tomorrow."""
    project = services.project_create(
        actor=admin, org=org, **project_fields(org.district, **changes)
    )
    point = services.point_create(
        actor=admin,
        project=project,
        name="南京东路服务点",
        address="南京东路100号",
        latitude=31.2352,
        longitude=121.4805,
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for n in range(shifts):
        day = tomorrow + datetime.timedelta(days=n)
        services.shift_create(
            actor=admin,
            project=project,
            point=point,
            starts_at=local(day, 9),
            ends_at=local(day, 12),
            capacity=capacity,
        )
    if publish and shifts:
        services.project_publish(actor=admin, project=project)
        project.refresh_from_db()
    return project


@pytest.fixture
def project(taxonomy, org, org_admin) -> Project:
    """A published project of `org` with one shift of 10 places tomorrow morning."""
    return make_project(org, org_admin)


@pytest.fixture
def leader(org):
    """An active project leader of `org`."""
    user = make_user(display_name="项目负责人")
    Membership.objects.create(organisation=org, user=user, role="leader", status="active")
    return user


@pytest.fixture
def member(org):
    """An active plain member of `org`."""
    user = make_user(display_name="普通成员")
    Membership.objects.create(organisation=org, user=user, role="member", status="active")
    return user


@pytest.fixture
def other_org_admin(other_district):
    """The admin of another verified organisation, in another district."""
    user = make_user(display_name="别的组织管理员")
    make_org(other_district, admin=user)
    return user
