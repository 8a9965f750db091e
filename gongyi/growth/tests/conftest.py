"""Places, projects and ledger records for the growth tests.

Records are appended through the real ledger service (`append_locked` under the volunteer's
lock) and corrected through `record_correct`, with the on-commit callbacks run, so the
growth receivers refresh the summary exactly as they do in production.
"""

import itertools
from datetime import date

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from gongyi.accounts.services import create_api_token
from gongyi.growth import services as growth_services
from gongyi.projects.models import Beneficiary, Category
from gongyi.regions.models import Region
from gongyi.service import services as ledger
from gongyi.service.models import ServiceRecord
from gongyi.signups.tests.conftest import make_project
from gongyi.testing.people import make_org, make_volunteer

_codes = itertools.count(1)


def committed():
    """Run the on-commit callbacks of the block (the test's transaction never commits)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def append(volunteer, project, *, minutes: int = 120, day: date = date(2026, 3, 1)):
    """Append an original record through the ledger service, as a confirmation does."""
    with committed(), transaction.atomic():
        ledger.lock_volunteer(volunteer.pk)
        return ledger.append_locked(
            volunteer=volunteer,
            now=timezone.now(),
            project=project,
            organisation=project.organisation,
            activity=project.title,
            served_on=day,
            place="南京东路街道社区文化活动中心",
            content="社区服务",
            minutes=minutes,
            leader_name="李四",
            source=ServiceRecord.Source.ENTRY,
        )


def correct(record, minutes: int, actor):
    with committed():
        return ledger.record_correct(actor=actor, record=record, minutes=minutes, reason="核对更正")


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def make_district(city, name: str) -> Region:
    return Region.objects.create(
        code=f"3199{next(_codes):02d}",
        name=name,
        level=Region.Level.DISTRICT,
        parent=city,
        city=city,
    )


@pytest.fixture
def rules_ready(db):
    """The settings row with its defaults (made before the taxonomy rows below exist)."""
    return growth_services.ensure_settings()


@pytest.fixture
def elderly(db) -> Beneficiary:
    return Beneficiary.objects.get_or_create(code="elderly", defaults={"name": "老年人"})[0]


@pytest.fixture
def training_category(db) -> Category:
    main = Category.objects.get_or_create(code="health", defaults={"name": "卫生健康"})[0]
    return Category.objects.get_or_create(
        code="health_first_aid", defaults={"name": "急救培训", "parent": main}
    )[0]


@pytest.fixture
def districts(city, district) -> list[Region]:
    """Six districts: 黄浦区 and five more."""
    names = ["徐汇区", "长宁区", "静安区", "普陀区", "虹口区"]
    return [district, *(make_district(city, name) for name in names)]


@pytest.fixture
def projects(districts, org_admin) -> list:
    """One project per district, each by an organisation `org_admin` runs."""
    return [
        make_project(make_org(d, admin=org_admin), title=f"{d.name}社区服务", district=d)
        for d in districts
    ]


@pytest.fixture
def project(projects):
    return projects[0]


@pytest.fixture
def elderly_project(org, elderly):
    project = make_project(org, title="社区助老服务")
    project.beneficiaries.add(elderly)
    return project


@pytest.fixture
def training_project(org, training_category):
    return make_project(org, title="急救技能培训", category=training_category)


@pytest.fixture
def alice(db):
    """梁小明: the volunteer whose growth the tests follow."""
    return make_volunteer(real_name="梁小明")
