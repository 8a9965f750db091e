"""The figures of a city and of its districts, on the hand-built town (see conftest.py)."""

from datetime import UTC, timedelta

from gongyi.dashboard import selectors
from gongyi.dashboard.selectors import compute


def test_city_figures(town):
    data = compute(town.city)
    assert data["volunteers"] == {"total": 6, "this_year": 6, "without_district": 2}
    assert data["organisations"] == 2
    assert data["projects"] == {"this_year": 2, "total": 3}
    assert data["hours"] == {
        "total_minutes": 285,
        "total_records": 4,
        "this_year_minutes": 255,
        "this_year_records": 3,
    }
    assert data["active_volunteers"] == 3
    assert data["signups"] == {"this_year": 3, "total": 4}
    month = str(town.today.month)
    assert data["minutes_by_month"] == {month: 255}
    assert data["signups_by_month"] == {month: 3}
    assert data["new_volunteers_by_month"] == {month: 6}
    districts = {
        row["code"]: (row["minutes_this_year"], row["minutes"]) for row in data["districts"]
    }
    assert districts == {town.east.code: (210, 210), town.west.code: (45, 75)}
    categories = {
        row["code"]: (row["minutes_this_year"], row["minutes"]) for row in data["categories"]
    }
    assert categories == {"community": (165, 195), "health": (90, 90)}
    assert [row["name"] for row in data["categories"]] == ["社区服务", "卫生健康"]  # most first


def test_age_bands_and_genders(town):
    bands = {row["band"]: row for row in compute(town.city)["age_gender"]}
    assert bands["under_18"] == {"band": "under_18", "M": 0, "F": 1, "unknown": 0}  # c
    assert bands["18_35"] == {"band": "18_35", "M": 1, "F": 0, "unknown": 0}  # a
    assert bands["36_45"] == {"band": "36_45", "M": 0, "F": 1, "unknown": 0}  # b
    assert bands["46_59"] == {"band": "46_59", "M": 1, "F": 0, "unknown": 0}  # f
    assert bands["60_plus"] == {"band": "60_plus", "M": 1, "F": 0, "unknown": 0}  # d
    assert bands["unknown"] == {"band": "unknown", "M": 0, "F": 0, "unknown": 1}  # e


def test_age_band_edges(town):
    """A volunteer turns 18 on their birthday: counted 18–35 from that day on."""
    from gongyi.testing.people import make_volunteer

    today = town.today
    make_volunteer(home_region=town.east, gender="M", birth_date=selectors.years_before(today, 18))
    make_volunteer(
        home_region=town.east,
        gender="M",
        birth_date=selectors.years_before(today, 18) + timedelta(days=1),
    )
    bands = {row["band"]: row["M"] for row in compute(town.east)["age_gender"]}
    assert bands["under_18"] == 1 and bands["18_35"] == 1 + 1  # a is 25


def test_district_view_excludes_the_other_district(town):
    east, west = compute(town.east), compute(town.west)
    assert east["volunteers"] == {"total": 3, "this_year": 3, "without_district": 0}
    assert west["volunteers"] == {"total": 1, "this_year": 1, "without_district": 0}
    assert (east["organisations"], west["organisations"]) == (1, 1)
    assert east["projects"] == {"this_year": 1, "total": 2}
    assert west["projects"] == {"this_year": 1, "total": 1}
    assert (east["hours"]["this_year_minutes"], east["hours"]["total_minutes"]) == (210, 210)
    assert (west["hours"]["this_year_minutes"], west["hours"]["total_minutes"]) == (45, 75)
    # c lives in the east but served in the west: active where the service was done.
    assert (east["active_volunteers"], west["active_volunteers"]) == (2, 1)
    assert east["signups"] == {"this_year": 2, "total": 3}
    assert west["signups"] == {"this_year": 1, "total": 1}
    assert east["districts"] == [] and west["districts"] == []
    assert {row["code"] for row in west["categories"]} == {"community"}


def test_active_volunteers_count_the_last_twelve_months_only(town):
    """d's record two years ago is not activity; a record a year ago to the day is not
    either, a day later is."""
    from gongyi.growth.tests.conftest import append

    a_year_ago = selectors.years_before(town.today, 1)
    append(town.volunteers["d"], town.projects["p3"], minutes=10, day=a_year_ago)
    assert compute(town.west)["active_volunteers"] == 1
    append(town.volunteers["e"], town.projects["p3"], minutes=10, day=a_year_ago + timedelta(1))
    assert compute(town.west)["active_volunteers"] == 2


def test_traffic_is_the_platforms_own(town):
    from django.utils import timezone

    from gongyi.traffic.models import TrafficDay

    yesterday = town.today - timedelta(days=1)
    peak = timezone.now() - timedelta(days=1)
    TrafficDay.objects.create(
        day=yesterday,
        visits=1234,
        peak_concurrent=56,
        peak_minute=peak,
        rolled_up_at=timezone.now(),
    )
    traffic = compute(town.east)["traffic"]
    assert len(traffic["days"]) == 30
    assert traffic["days"][-1]["day"] == town.today.isoformat()
    assert traffic["visits"] >= 1234 and traffic["peak"] == 56
    assert {d["day"]: d["visits"] for d in traffic["days"]}[yesterday.isoformat()] == 1234


def test_unknown_home_counts_in_no_city_when_there_are_several(town):
    from gongyi.regions.models import Region

    Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)
    assert compute(town.city)["volunteers"]["total"] == 5  # f (home unknown) is in neither


def test_economic_value_comes_from_the_wage_tables(town):
    """East: 120 min of 社区服务 at the default 30.00/h = 60.00, plus 90 min of 卫生健康 at
    45.00/h = 67.50: 127.50 yuan. West: 45 + 30 min at 30.00/h = 37.50 (the old hours take
    the earliest later table: there is no earlier one)."""
    from decimal import Decimal

    from gongyi.projects.models import Category
    from gongyi.value.models import WageRate, WageTable

    assert compute(town.east)["value"] is None  # no wage table yet: never an invented wage
    table = WageTable.objects.create(
        city=town.city, year=town.today.year, default_wage=Decimal("30")
    )
    WageRate.objects.create(
        table=table,
        category=Category.objects.get(code="health"),
        occupation="护士",
        hourly_wage=Decimal("45"),
    )
    assert compute(town.east)["value"] == {"this_year": "127.50", "total": "127.50"}
    assert compute(town.west)["value"] == {"this_year": "22.50", "total": "37.50"}
    assert compute(town.city)["value"] == {"this_year": "150.00", "total": "165.00"}


def test_traffic_totals_of_days_read_equal_a_fresh_read(town):
    from django.utils import timezone

    from gongyi.traffic import selectors as traffic
    from gongyi.traffic.models import TrafficDay

    start = town.today - timedelta(days=29)
    for n, peak in ((3, 7), (5, 7), (8, 2)):  # a tie: the earlier day's minute wins
        TrafficDay.objects.create(
            day=town.today - timedelta(days=n),
            visits=100 * n,
            peak_concurrent=peak,
            peak_minute=timezone.now() - timedelta(days=n),
            rolled_up_at=timezone.now(),
        )
    days = traffic.visits_by_day(start, town.today)
    assert traffic.totals_of(start, town.today, days) == traffic.totals(start, town.today)
    assert traffic.totals_of(start, town.today, days).visits == 1600
    empty = traffic.totals_of(town.today, start, [])
    assert (empty.visits, empty.peak_concurrent, empty.peak_minute) == (0, 0, None)


def test_local_midnight_is_the_start_of_the_shanghai_day():
    from datetime import date, datetime

    from gongyi.core.clock import LOCAL_TZ, local_midnight

    midnight = local_midnight(date(2026, 1, 1))
    assert midnight == datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
    assert midnight.tzinfo == LOCAL_TZ
