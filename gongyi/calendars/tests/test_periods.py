"""Months and weeks from the query string: the right days, navigation, junk refused."""

import datetime

import pytest
from django.http import QueryDict

from gongyi.calendars.periods import month_of, period_from_query, week_of

TODAY = datetime.date(2026, 11, 23)  # a Monday


def period(query: str):
    return period_from_query(QueryDict(query), today=TODAY)


def test_no_period_asked_is_this_month():
    found, problem = period("")
    assert problem is None
    assert (found.kind, found.first, found.last) == (
        "month",
        TODAY.replace(day=1),
        datetime.date(2026, 11, 30),
    )


def test_a_month_is_its_days_and_its_grid_whole_weeks():
    found, problem = period("month=2026-02")
    assert problem is None
    assert (found.first, found.last) == (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    days = found.grid_days()
    assert days[0] == datetime.date(2026, 1, 26) and days[0].weekday() == 0  # a Monday
    assert days[-1] == datetime.date(2026, 3, 1) and days[-1].weekday() == 6  # a Sunday
    assert len(days) % 7 == 0


def test_a_week_is_monday_to_sunday_in_iso_numbering():
    found, problem = period("week=2026-W01")
    assert problem is None
    assert (found.kind, found.first, found.last) == (
        "week",
        datetime.date(2025, 12, 29),
        datetime.date(2026, 1, 4),
    )
    assert found.param == "2026-W01"


def test_a_week_wins_over_a_month():
    found, _ = period("month=2026-05&week=2026-W48")
    assert found.kind == "week" and found.first == datetime.date(2026, 11, 23)


def test_previous_and_next_cross_the_year():
    december = month_of(datetime.date(2026, 12, 5))
    assert december.next().param == "2027-01"
    assert december.previous().param == "2026-11"
    first_week = week_of(datetime.date(2027, 1, 1))
    assert first_week.previous().param == "2026-W52"
    assert first_week.next().param == "2027-W01"


def test_the_shanghai_window_of_a_period_is_local_midnights():
    found, _ = period("month=2026-11")
    assert found.starts.isoformat() == "2026-11-01T00:00:00+08:00"
    assert found.ends.isoformat() == "2026-12-01T00:00:00+08:00"


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("month=2026-13", "month"),
        ("month=abc", "month"),
        ("month=2026-00", "month"),
        ("month=" + "9" * 5000, "month"),
        ("week=2026-W54", "week"),
        ("week=2025-W53", "week"),  # 2025 has 52 ISO weeks
        ("week=W12", "week"),
        ("week=2026-W00", "week"),
    ],
)
def test_junk_gives_the_current_period_and_says_why(query, kind):
    found, problem = period(query)
    assert problem
    assert found.kind == kind and found.contains(TODAY)


@pytest.mark.parametrize("query", ["month=1999-12", "month=2101-01", "week=9999-W01"])
def test_far_off_years_are_refused(query):
    found, problem = period(query)
    assert problem and "2000" in problem
    assert found.contains(TODAY)


def test_navigation_stops_at_the_edges():
    assert month_of(datetime.date(2100, 12, 1)).next() is None
    assert month_of(datetime.date(2000, 1, 1)).previous() is None
