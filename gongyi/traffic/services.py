"""Writes of traffic: the buffered page views of a process, the daily roll-up and pruning.

Every app process writes its own buffer (`gongyi.traffic.buffer`), so the writes add up:
minutes by an additive upsert (INSERT … ON CONFLICT DO UPDATE SET visits = visits + …, the
same SQL on SQLite and PostgreSQL), visitors by an insert that skips the (minute, visitor)
pairs already there. Rows go in key order so two processes never deadlock each other.
"""

from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta

from django.db import connections, router, transaction
from django.utils import timezone

from gongyi.traffic import selectors
from gongyi.traffic.models import TrafficDay, TrafficMinute, TrafficVisitor

VISITOR_KEEP_DAYS = 2  # per-visitor rows: today and the two days before
MINUTE_KEEP_DAYS = 90


def record_visits(*, minutes: Mapping[datetime, tuple[int, Collection[str]]]) -> None:
    """Add page views and visitors per minute (aware datetimes on a whole minute)."""
    alias = router.db_for_write(TrafficMinute)
    counts = sorted((minute, visits) for minute, (visits, _) in minutes.items() if visits > 0)
    visitors = sorted(
        (minute, visitor) for minute, (_, seen) in minutes.items() for visitor in seen
    )
    if not counts and not visitors:
        return
    with transaction.atomic(using=alias):
        if counts:
            _add_minutes(alias, counts)
        TrafficVisitor.objects.using(alias).bulk_create(
            [TrafficVisitor(minute=minute, visitor=visitor) for minute, visitor in visitors],
            ignore_conflicts=True,
            batch_size=500,
        )


def _add_minutes(alias: str, counts: list[tuple[datetime, int]]) -> None:
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(TrafficMinute._meta.db_table)
    field = TrafficMinute._meta.get_field("minute")
    minute, visits = quote(field.column), quote("visits")
    params: list[object] = []
    for when, added in counts:
        params += [field.get_db_prep_value(when, connection), added]
    values = ", ".join(["(%s, %s)"] * len(counts))
    # Table and column names come from the model, quoted; the values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({minute}, {visits}) VALUES {values} "
            f"ON CONFLICT ({minute}) DO UPDATE SET {visits} = {table}.{visits} + excluded.{visits}",
            params,
        )


def rollup(*, day: date) -> TrafficDay:
    """Write the day's page views and peak into its `TrafficDay`, then prune old rows.
    Safe to run twice and at any time: a figure never goes down (a day's rows only grow,
    until they are pruned)."""
    row = _write_day(day)
    prune()
    return row


def _write_day(day: date) -> TrafficDay:
    live = selectors.live_days([day])[day]
    with transaction.atomic():
        row, created = TrafficDay.objects.select_for_update().get_or_create(
            day=day,
            defaults={
                "visits": live.visits,
                "peak_concurrent": live.peak_concurrent,
                "peak_minute": live.peak_minute,
                "rolled_up_at": timezone.now(),
            },
        )
        if not created:
            figures = selectors.merged(live, row)
            row.visits = figures.visits
            row.peak_concurrent = figures.peak_concurrent
            row.peak_minute = figures.peak_minute
            row.rolled_up_at = timezone.now()
            row.save(update_fields=["visits", "peak_concurrent", "peak_minute", "rolled_up_at"])
    return row


def prune(*, today: date | None = None) -> tuple[int, int]:
    """Delete visitor rows before the last VISITOR_KEEP_DAYS days and minute rows before
    MINUTE_KEEP_DAYS; a day whose visitors go is rolled up first. Returns (visitors, minutes)
    deleted."""
    today = today or selectors.local_today()
    visitors_before = selectors.day_bounds(today - timedelta(days=VISITOR_KEEP_DAYS))[0]
    minutes_before = selectors.day_bounds(today - timedelta(days=MINUTE_KEEP_DAYS))[0]
    old = TrafficVisitor.objects.filter(minute__lt=visitors_before)
    days = [start.date() for start in old.datetimes("minute", "day", tzinfo=selectors.SHANGHAI)]
    rolled_up = TrafficDay.objects.filter(day__in=days)
    settled = {row.day for row in rolled_up if selectors.is_settled(row)}
    for day in days:
        if day not in settled:
            _write_day(day)
    with transaction.atomic():
        visitors, _ = old.delete()
        minutes, _ = TrafficMinute.objects.filter(minute__lt=minutes_before).delete()
    return visitors, minutes


def rollup_recent() -> list[TrafficDay]:
    """Roll up yesterday and today (the hourly job), then prune."""
    today = selectors.local_today()
    rows = [_write_day(today - timedelta(days=1)), _write_day(today)]
    prune(today=today)
    return rows
