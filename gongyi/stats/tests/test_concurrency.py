"""Drains, appends and recomputes that overlap never count a record twice nor miss one
(PostgreSQL, real threads). The control shows the race is real: two drains that do not take
the tally lock both read the same queued records and both add them."""

import contextlib
import threading
from types import SimpleNamespace

import pytest
from django.conf import settings

from gongyi.service.selectors import counting_records
from gongyi.stats import receivers, selectors, services
from gongyi.stats.models import Tally, TallyLock
from gongyi.stats.tests.conftest import append
from gongyi.testing.people import make_volunteer
from gongyi.testing.threads import run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL: row locks and concurrent connections (DATABASE_URL=postgresql://…)",
    ),
]


@pytest.fixture
def late_worker(monkeypatch):
    """Records stay queued until a test drains them. (The lock row, which a flush between
    tests removes, exists before the threads start, as in production.)"""
    TallyLock.objects.get_or_create(pk=1)
    monkeypatch.setattr(receivers, "drain_tallies", SimpleNamespace(enqueue=lambda: None))


def city_total(city) -> int:
    return selectors.figure(Tally.Kind.TOTAL, city.pk)[0]


def drains_meeting_in_the_middle(monkeypatch) -> None:
    """Two drains; each waits (up to 1 s) for the other between reading and adding."""
    meet = threading.Barrier(2)
    real_upsert = services._upsert

    def slow_upsert(deltas):
        # With the lock the other drain is queued behind it and cannot come: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=1)
        real_upsert(deltas)

    monkeypatch.setattr(services, "_upsert", slow_upsert)
    run_at_once([services.drain, services.drain], workers=2)


def test_two_drains_add_each_record_once(projects, city, late_worker, monkeypatch):
    person = make_volunteer()
    for minutes in (60, 30, 15):
        append(person, projects[0], minutes=minutes)
    drains_meeting_in_the_middle(monkeypatch)
    assert city_total(city) == 105


def test_control_drains_without_the_lock_count_twice(projects, city, late_worker, monkeypatch):
    person = make_volunteer()
    for minutes in (60, 30, 15):
        append(person, projects[0], minutes=minutes)
    monkeypatch.setattr(services, "_lock", lambda: TallyLock.objects.get_or_create(pk=1)[0])
    drains_meeting_in_the_middle(monkeypatch)
    assert city_total(city) == 210  # the race: both drains added the same three records


def test_appends_drains_and_a_recompute_at_once_end_equal_to_the_ledger(
    projects, city, late_worker
):
    people = [make_volunteer() for _ in range(12)]

    def serve(person, i):
        return lambda: [append(person, projects[i % 4], minutes=10 + i) for _ in range(3)]

    calls = [serve(person, i) for i, person in enumerate(people)]
    calls += [services.drain] * 4 + [services.recompute]
    run_at_once(calls, workers=len(calls))
    services.drain()
    ledger_total = sum(r.minutes for r in counting_records())
    assert city_total(city) == ledger_total == sum(3 * (10 + i) for i in range(12))
