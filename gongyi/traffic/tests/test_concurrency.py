"""Many app processes write the same minutes at the same moment: the figures add up."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from gongyi.testing.threads import run_at_once
from gongyi.traffic import services
from gongyi.traffic.models import TrafficMinute, TrafficVisitor

WRITERS = 24
MINUTE = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
NEXT = MINUTE + timedelta(minutes=1)


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")


@pytest.mark.postgres
def test_simultaneous_flushes_add_up(transactional_db):
    needs_postgresql()

    def flush(i: int):
        # Half the writers list the minutes the other way round: key order prevents deadlocks.
        minutes = {
            MINUTE: (3, {f"shared{i % 5}", f"own{i}"}),
            NEXT: (2, {f"shared{i % 5}"}),
        }
        if i % 2:
            minutes = dict(reversed(list(minutes.items())))
        return lambda: services.record_visits(minutes=minutes)

    run_at_once([flush(i) for i in range(WRITERS)], workers=WRITERS)
    visits = dict(TrafficMinute.objects.values_list("minute", "visits"))
    assert visits == {MINUTE: 3 * WRITERS, NEXT: 2 * WRITERS}
    assert TrafficVisitor.objects.filter(minute=MINUTE).count() == 5 + WRITERS
    assert TrafficVisitor.objects.filter(minute=NEXT).count() == 5


@pytest.mark.postgres
def test_control_read_then_write_loses_page_views(transactional_db):
    """Without the additive upsert (read the row, add, save) simultaneous flushes overwrite
    each other: this is the race the upsert closes."""
    needs_postgresql()
    TrafficMinute.objects.create(minute=MINUTE, visits=0)

    def naive():
        with transaction.atomic():
            row = TrafficMinute.objects.get(minute=MINUTE)
            time.sleep(0.02)  # the time of a round trip or two, made visible
            row.visits += 3
            row.save(update_fields=["visits"])

    run_at_once([naive for _ in range(WRITERS)], workers=WRITERS)
    assert TrafficMinute.objects.get().visits < 3 * WRITERS
