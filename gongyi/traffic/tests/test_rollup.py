"""Roll-up, pruning, the day's peak, and the selectors over rolled-up and live days."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from gongyi.traffic import selectors, services, tasks
from gongyi.traffic.models import TrafficDay, TrafficMinute, TrafficVisitor
from gongyi.traffic.selectors import DayTraffic, local_today, visits_by_day
from gongyi.traffic.tests.conftest import at

pytestmark = pytest.mark.django_db


def record(day, hour, minute, visitors: list[str], visits: int | None = None):
    when = at(day, hour, minute)
    services.record_visits(minutes={when: (visits or len(visitors), set(visitors))})
    return when


def people(n: int, prefix: str = "v") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


@pytest.fixture
def today():
    return local_today()


def test_the_peak_is_the_largest_minute_and_the_earliest_on_a_tie(today):
    day = today - timedelta(days=1)
    record(day, 9, 0, people(3), visits=7)
    peak = record(day, 10, 1, people(5))
    record(day, 10, 2, people(5, "w"))
    record(day, 23, 59, people(2))
    row = services.rollup(day=day)
    assert (row.visits, row.peak_concurrent) == (7 + 5 + 5 + 2, 5)
    assert row.peak_minute == peak


def test_days_are_shanghai_days(today):
    day = today - timedelta(days=1)
    record(day, 23, 59, people(2))  # 15:59 UTC
    record(today, 0, 0, people(3))  # 16:00 UTC: the next day in Shanghai
    yesterday, this_day = visits_by_day(day, today)
    assert (yesterday.visits, yesterday.peak_concurrent) == (2, 2)
    assert (this_day.visits, this_day.peak_concurrent) == (3, 3)
    assert this_day.peak_minute == at(today, 0, 0)


def test_a_rollup_gives_the_live_figures_and_is_safe_to_run_twice(today):
    day = today - timedelta(days=1)
    record(day, 8, 30, people(4), visits=9)
    record(day, 20, 0, people(6))
    live = visits_by_day(day, day)
    first = services.rollup(day=day)
    second = services.rollup(day=day)
    assert TrafficDay.objects.count() == 1
    assert (first.visits, first.peak_concurrent, first.peak_minute) == (
        second.visits,
        second.peak_concurrent,
        second.peak_minute,
    )
    assert visits_by_day(day, day) == live == [DayTraffic(day, 15, 6, at(day, 20, 0))]


def test_a_day_without_traffic_rolls_up_as_zeros(today):
    row = services.rollup(day=today - timedelta(days=3))
    assert (row.visits, row.peak_concurrent, row.peak_minute) == (0, 0, None)


def test_prune_keeps_two_days_of_visitors_and_ninety_of_minutes(today):
    for back in [0, 1, 2, 3, 5, 89, 91]:
        record(today - timedelta(days=back), 12, 0, people(back + 1))
    services.prune(today=today)
    kept = {
        m.astimezone(selectors.SHANGHAI).date()
        for m in TrafficVisitor.objects.values_list("minute", flat=True)
    }
    assert kept == {today, today - timedelta(days=1), today - timedelta(days=2)}
    minutes = {
        m.astimezone(selectors.SHANGHAI).date()
        for m in TrafficMinute.objects.values_list("minute", flat=True)
    }
    assert today - timedelta(days=89) in minutes
    assert today - timedelta(days=91) not in minutes


def test_a_day_is_rolled_up_before_its_visitors_are_pruned(today):
    day = today - timedelta(days=5)
    record(day, 12, 0, people(7))
    record(day, 12, 1, people(2))
    services.prune(today=today)  # never rolled up: prune rolls it up first
    assert not TrafficVisitor.objects.exists()
    row = TrafficDay.objects.get(day=day)
    assert (row.visits, row.peak_concurrent, row.peak_minute) == (9, 7, at(day, 12, 0))
    again = services.rollup(day=day)  # the visitors are gone: the peak stays
    assert (again.visits, again.peak_concurrent, again.peak_minute) == (9, 7, at(day, 12, 0))
    assert visits_by_day(day, day) == [DayTraffic(day, 9, 7, at(day, 12, 0))]


def test_rollup_prunes(today):
    record(today - timedelta(days=4), 12, 0, people(3))
    services.rollup(day=today)
    assert not TrafficVisitor.objects.exists()
    assert TrafficDay.objects.get(day=today - timedelta(days=4)).peak_concurrent == 3


def test_the_selectors_mix_rolled_up_and_live_days(today, django_assert_num_queries):
    old, yesterday, tomorrow = (today + timedelta(days=n) for n in (-4, -1, 1))
    record(old, 9, 0, people(8), visits=20)
    services.rollup(day=old)
    TrafficMinute.objects.filter(minute__lt=at(old + timedelta(days=1), 0, 0)).delete()
    services.prune(today=today)  # old's visitor and minute rows are gone: only its roll-up is left
    record(yesterday, 10, 0, people(4))  # never rolled up: live
    record(today, 8, 0, people(3))
    services.rollup(day=today)  # rolled up while the day goes on ...
    record(today, 9, 0, people(6), visits=10)  # ... so today stays live
    days = visits_by_day(old, tomorrow)
    assert [(d.day, d.visits, d.peak_concurrent) for d in days] == [
        (old, 20, 8),
        (old + timedelta(days=1), 0, 0),
        (old + timedelta(days=2), 0, 0),
        (yesterday, 4, 4),
        (today, 13, 6),
        (tomorrow, 0, 0),
    ]
    assert days[0].peak_minute == at(old, 9, 0) and days[4].peak_minute == at(today, 9, 0)
    total = selectors.totals(old, tomorrow)
    assert (total.visits, total.peak_concurrent, total.peak_minute) == (37, 8, at(old, 9, 0))
    with django_assert_num_queries(1):  # a settled day: its roll-up only
        assert visits_by_day(old, old)[0].visits == 20


def test_totals_of_a_quiet_range(today):
    total = selectors.totals(today - timedelta(days=3), today)
    assert (total.visits, total.peak_concurrent, total.peak_minute) == (0, 0, None)
    assert visits_by_day(today, today - timedelta(days=1)) == []


def test_the_command_rolls_up_yesterday_and_today_and_is_safe_twice(today, capsys):
    record(today - timedelta(days=1), 21, 30, people(2))
    record(today, 0, 5, people(1))
    call_command("rollup_traffic")
    call_command("rollup_traffic")
    out = capsys.readouterr().out
    assert f"{today - timedelta(days=1)}: 2 page views, peak 2 concurrent visitors at 21:30." in out
    assert f"{today}: 1 page views" in out
    assert TrafficDay.objects.count() == 2


def test_the_command_rolls_up_a_given_day_and_refuses_a_bad_one(today, capsys):
    record(today - timedelta(days=2), 7, 0, people(3))
    call_command("rollup_traffic", day=str(today - timedelta(days=2)))
    assert TrafficDay.objects.get().peak_concurrent == 3
    with pytest.raises(CommandError):
        call_command("rollup_traffic", day="yesterday")


def test_the_task_rolls_up(today):
    record(today, 0, 1, people(4))
    result = tasks.rollup_traffic.enqueue()
    assert result.return_value == 4
    assert TrafficDay.objects.get(day=today).peak_concurrent == 4
