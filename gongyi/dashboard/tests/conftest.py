"""A small hand-built city for the dashboard tests: two districts, volunteers of several ages
and genders at homes of every level, organisations, projects of this year and last, records
through the real ledger (so the hour tallies fill), and signups.

Expected figures (written out so the tests compare with numbers, not with the code):

east (黄浦区): volunteers a (community), b (street), c (the district) -> 3; organisations 1
  (the pending one does not count); projects 1 this year, 2 in all (the draft does not
  count); hours: a 120 min on p1 today, b 60 min on p2 today corrected to 90 -> 210 min this
  year and in all; active a, b -> 2; signups 2 this year (one cancelled), 3 in all.
west (徐汇区): volunteer d -> 1; organisations 1; projects 1/1; hours: c 45 min on p3 today,
  d 30 min two years ago -> 45 this year, 75 in all; active c -> 1; signups 1/1.
city (上海市): volunteers 6 (e: home the city, f: home unknown: in no district); orgs 2;
  projects 2/3; hours 255 this year, 285 in all; active a, b, c -> 3; signups 3/4.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from gongyi.dashboard.selectors import SHANGHAI, local_today, years_before
from gongyi.growth.tests.conftest import append, correct
from gongyi.projects.models import Category, Project
from gongyi.regions.models import Region
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_org, make_user, make_volunteer


@dataclass
class Town:
    city: Region
    east: Region
    west: Region
    volunteers: dict
    projects: dict
    today: date


def born(age: int, today: date) -> date:
    return years_before(today, age) - timedelta(days=10)


@pytest.fixture
def town(city, district, other_district, street, community) -> Town:
    today = local_today()
    east, west = district, other_district
    v = {
        "a": make_volunteer(home_region=community, gender="M", birth_date=born(25, today)),
        "b": make_volunteer(home_region=street, gender="F", birth_date=born(40, today)),
        "c": make_volunteer(home_region=east, gender="F", birth_date=born(10, today)),
        "d": make_volunteer(home_region=west, gender="M", birth_date=born(70, today)),
        "e": make_volunteer(home_region=city, gender="", birth_date=None),
        "f": make_volunteer(home_region=None, gender="M", birth_date=born(50, today)),
    }
    admin = make_user()
    east_org = make_org(east, admin=admin)
    west_org = make_org(west, admin=admin)
    make_org(east, status="pending")
    health = Category.objects.get_or_create(code="health", defaults={"name": "卫生健康"})[0]
    last_year = datetime.combine(date(today.year - 1, 6, 1), time(12), tzinfo=SHANGHAI)
    p = {
        "p1": make_project(east_org, title="社区助老", district=east),
        "p2": make_project(
            east_org, title="社区义诊", district=east, category=health, published_at=last_year
        ),
        "p3": make_project(west_org, title="环保宣传", district=west),
        "draft": make_project(
            east_org, title="草稿", district=east, status=Project.Status.DRAFT, published_at=None
        ),
    }
    append(v["a"], p["p1"], minutes=120, day=today)
    record = append(v["b"], p["p2"], minutes=60, day=today)
    correct(record, 90, admin)
    append(v["c"], p["p3"], minutes=45, day=today)
    append(v["d"], p["p3"], minutes=30, day=date(today.year - 2, 5, 5))
    s1, s2, s3 = make_shift(p["p1"]), make_shift(p["p2"]), make_shift(p["p3"])
    Signup.objects.create(volunteer=v["a"], shift=s1, status="confirmed")
    Signup.objects.create(volunteer=v["b"], shift=s1, status="cancelled")
    Signup.objects.create(volunteer=v["b"], shift=s2, status="confirmed", created_at=last_year)
    Signup.objects.create(volunteer=v["d"], shift=s3, status="waitlisted")
    assert timezone.now().astimezone(SHANGHAI).year == today.year
    return Town(city, east, west, v, p, today)
