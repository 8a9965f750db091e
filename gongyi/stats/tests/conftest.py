"""Places, organisations, projects and ledger records for the tally tests.

Records go through the real ledger (`append_locked`, `record_correct`) with their on-commit
callbacks run, so the stats receivers queue and drain exactly as in production.
"""

from datetime import date

import pytest

from gongyi.growth.tests.conftest import append, committed, correct, make_district
from gongyi.orgs.models import Organisation
from gongyi.projects.models import Category
from gongyi.signups.tests.conftest import make_project
from gongyi.stats.models import Tally
from gongyi.testing.people import make_org, make_user

__all__ = ["append", "committed", "correct", "snapshot"]


def snapshot() -> dict:
    """Every tally that holds something, as {key: (minutes, records)}."""
    rows = Tally.objects.exclude(minutes=0, records=0).values_list(
        "kind", "region_id", "year", "month", "subject_id", "minutes", "records"
    )
    return {row[:5]: row[5:] for row in rows}


@pytest.fixture
def recorder(db):
    """The organisation admin who corrects records."""
    return make_user(display_name="记录员")


@pytest.fixture
def east(city, district):
    return district


@pytest.fixture
def west(city):
    return make_district(city, "徐汇区")


@pytest.fixture
def health(db) -> Category:
    return Category.objects.get_or_create(code="health", defaults={"name": "卫生健康"})[0]


@pytest.fixture
def team(east, community, recorder) -> Organisation:
    """A community team of `community` (in `east`)."""
    return make_org(east, admin=recorder, kind="community_team", community=community)


@pytest.fixture
def association(west, recorder) -> Organisation:
    return make_org(west, admin=recorder)


@pytest.fixture
def projects(team, association, east, west, health) -> list:
    """Four projects: the team's in the east (two categories), the association's in the
    west and one it runs in the east."""
    return [
        make_project(team, title="社区助老", district=east),
        make_project(team, title="社区义诊", district=east, category=health),
        make_project(association, title="环保宣传", district=west),
        make_project(association, title="跨区服务", district=east, category=health),
    ]


DAY = date(2026, 3, 1)
