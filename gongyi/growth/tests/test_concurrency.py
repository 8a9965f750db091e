"""The summary is never left behind by refreshes that overlap (PostgreSQL, real threads).

A refresh locks the volunteer's summary row before it reads the records. When an append
commits while another refresh is between its read and its write, the append's own refresh
waits for that lock and then reads every record: the last write is the truth. The control
shows the race is real: a refresh that reads without the lock writes a stale summary last.
"""

import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongyi.growth import selectors, services
from gongyi.growth.models import GrowthSummary
from gongyi.service import services as ledger
from gongyi.service.models import ServiceRecord
from gongyi.testing.threads import run_at_once

on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: row locks and concurrent connections (DATABASE_URL=postgresql://…)",
)


def append_committed(volunteer, project, *, minutes: int) -> None:
    """Append in a real transaction: the growth receivers refresh when it commits."""
    with transaction.atomic():
        ledger.lock_volunteer(volunteer.pk)
        ledger.append_locked(
            volunteer=volunteer,
            now=timezone.now(),
            project=project,
            organisation=project.organisation,
            activity=project.title,
            served_on=date(2026, 3, 1),
            place="人民广场",
            content="社区服务",
            minutes=minutes,
            leader_name="李四",
            source=ServiceRecord.Source.ENTRY,
        )


def interleave(volunteer, project, slow_refresh) -> None:
    """Thread A: `slow_refresh` reads, then waits while thread B appends a record and B's
    own refresh runs on commit, then writes."""
    a_has_read, b_done = threading.Event(), threading.Event()

    def a():
        slow_refresh(a_has_read, b_done)

    def b():
        a_has_read.wait(5)
        append_committed(volunteer, project, minutes=60)
        b_done.set()

    run_at_once([a, b], workers=2)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_refreshes_end_with_the_truth(rules_ready, alice, project, monkeypatch):
    append_committed(alice, project, minutes=60)
    real_compute = selectors.compute_growth
    in_thread_a = threading.local()

    def slow_compute(*args, **kwargs):
        growth = real_compute(*args, **kwargs)
        if getattr(in_thread_a, "events", None):
            has_read, b_done = in_thread_a.events
            has_read.set()
            # B's refresh queues behind our lock, so B cannot be done: wait a while, in vain.
            assert not b_done.wait(0.5)
        return growth

    monkeypatch.setattr(selectors, "compute_growth", slow_compute)

    def locked_refresh(has_read, done):
        in_thread_a.events = (has_read, done)
        services.refresh_volunteer(volunteer_id=alice.pk, tell=False)

    interleave(alice, project, locked_refresh)
    assert GrowthSummary.objects.get(volunteer=alice).minutes == 120
    assert real_compute(alice).minutes == 120


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_control_a_refresh_without_the_lock_leaves_a_stale_summary(rules_ready, alice, project):
    append_committed(alice, project, minutes=60)

    def naive_refresh(has_read, done):
        """NEVER do this: read, then write, without holding the summary row's lock."""
        growth = selectors.compute_growth(alice)
        has_read.set()
        done.wait(5)  # B appends and refreshes meanwhile, as beside any slow request
        GrowthSummary.objects.filter(pk=alice.pk).update(**growth.figures())

    interleave(alice, project, naive_refresh)
    assert GrowthSummary.objects.get(volunteer=alice).minutes == 60  # stale: the race is real
    assert selectors.compute_growth(alice).minutes == 120


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_many_concurrent_appends_leave_the_summary_right(rules_ready, alice, projects):
    calls = [
        lambda i=i: append_committed(alice, projects[i % 6], minutes=30 + i) for i in range(16)
    ]
    run_at_once(calls, workers=8)
    fresh = selectors.compute_growth(alice)
    stored = GrowthSummary.objects.get(volunteer=alice)
    assert stored.minutes == fresh.minutes == sum(30 + i for i in range(16))
    assert stored.points == fresh.points and stored.districts == 6
