"""Categories, a wage table and ledger records for the value tests.

Records go through the real ledger (`append` from the growth tests), so the hour tallies the
value is read from are filled exactly as in production.
"""

from datetime import date
from decimal import Decimal

import pytest

from gongyi.growth.tests.conftest import append, make_district
from gongyi.projects.models import Category
from gongyi.signups.tests.conftest import make_project
from gongyi.testing.people import make_org, make_volunteer
from gongyi.value.models import WageRate, WageTable

__all__ = ["append", "make_district", "make_project", "make_table"]

DAY = date(2026, 3, 1)


def make_table(city, year: int, *, default="30.00", rates=None, source="测试工资价位") -> WageTable:
    table = WageTable.objects.create(
        city=city,
        year=year,
        source=source,
        default_occupation="社区和社会服务人员",
        default_wage=Decimal(default),
    )
    for category, (occupation, wage) in (rates or {}).items():
        WageRate.objects.create(
            table=table, category=category, occupation=occupation, hourly_wage=Decimal(wage)
        )
    return table


@pytest.fixture
def health(db) -> Category:
    return Category.objects.get_or_create(code="health", defaults={"name": "卫生健康"})[0]


@pytest.fixture
def community_service(db) -> Category:
    """The category `make_project` gives by default; no rate in the tables: the default."""
    return Category.objects.get_or_create(code="community", defaults={"name": "社区服务"})[0]


@pytest.fixture
def sub_health(health) -> Category:
    return Category.objects.get_or_create(
        code="health_first_aid", defaults={"name": "急救培训", "parent": health}
    )[0]


@pytest.fixture
def table(city, health) -> WageTable:
    """Shanghai's 2026 table: 卫生健康 → 护士 45.00/h; everything else 30.00/h."""
    return make_table(city, 2026, rates={health: ("护士", "45.00")})


@pytest.fixture
def server(db):
    return make_volunteer(real_name="服务者")


@pytest.fixture
def clinic(org, health):
    """A health project of `org` (in `district`)."""
    return make_project(org, title="社区义诊", category=health)


@pytest.fixture
def elders(org, community_service):
    """A community-service project of `org` (no rate of its own: the default wage)."""
    return make_project(org, title="社区助老", category=community_service)


@pytest.fixture
def worked(server, clinic, elders):
    """The hand-computed example: 90 min of 卫生健康 and 120 min of 社区服务 in 2026."""
    append(server, clinic, minutes=90, day=DAY)
    append(server, elders, minutes=120, day=DAY)


@pytest.fixture
def other_org(other_district):
    return make_org(other_district)
