"""Visitors per minute, the per-process buffer, several processes, and failures."""

import logging
import threading
from datetime import UTC, datetime

import pytest
from django.db import DatabaseError
from django.test import Client

from gongyi.traffic import buffer, counting, services
from gongyi.traffic.models import TrafficMinute, TrafficVisitor
from gongyi.traffic.tests.conftest import BROWSER, OTHER_BROWSER

pytestmark = pytest.mark.django_db


def minute_figures() -> list[tuple[datetime, int, int]]:
    """(minute, page views, distinct visitors) per minute written, oldest first."""
    buffer.BUFFER.flush()
    return [
        (row.minute, row.visits, TrafficVisitor.objects.filter(minute=row.minute).count())
        for row in TrafficMinute.objects.order_by("minute")
    ]


def test_the_same_visitor_twice_in_a_minute_is_one_concurrent_visitor(client, recording, clock):
    client.get("/", headers={"user-agent": BROWSER})
    clock.advance(20)
    client.get("/", headers={"user-agent": BROWSER})
    [(_, visits, visitors)] = minute_figures()
    assert (visits, visitors) == (2, 1)


def test_two_visitors_in_a_minute_are_two(client, recording, clock):
    client.get("/", headers={"user-agent": BROWSER})
    Client().get("/", headers={"user-agent": OTHER_BROWSER})
    Client(REMOTE_ADDR="10.2.3.4").get("/", headers={"user-agent": BROWSER})
    [(_, visits, visitors)] = minute_figures()
    assert (visits, visitors) == (3, 3)


def test_a_visitor_in_two_minutes_counts_in_each(client, recording, clock):
    client.get("/", headers={"user-agent": BROWSER})
    clock.advance(60)
    client.get("/", headers={"user-agent": BROWSER})
    assert [(v, n) for _, v, n in minute_figures()] == [(1, 1), (1, 1)]


def test_a_signed_in_visitor_is_their_session_and_nothing_personal_is_stored(
    client, recording, volunteer
):
    client.force_login(volunteer.user)
    client.get("/", headers={"user-agent": BROWSER})
    # The same browser from another address is still the same session: one visitor.
    client.get("/", headers={"user-agent": BROWSER}, REMOTE_ADDR="10.9.9.9")
    [(_, visits, visitors)] = minute_figures()
    assert (visits, visitors) == (2, 1)
    stored = TrafficVisitor.objects.get().visitor
    assert len(stored) == 32
    assert client.session.session_key not in stored
    assert "127.0.0.1" not in stored


def test_the_visitor_hash_changes_with_the_day_and_the_secret(rf, settings):
    request = rf.get("/", headers={"user-agent": BROWSER})
    minute = 29_000_000
    today = counting.visitor_of(request, minute)
    assert counting.visitor_of(request, minute + 1) == today  # same day
    assert counting.visitor_of(request, minute + 24 * 60) != today
    settings.SECRET_KEY = "another-secret"
    assert counting.visitor_of(request, minute) != today


def test_the_day_of_the_salt_is_the_shanghai_day():
    # 2026-03-01 15:59 UTC is 23:59 in Shanghai; a minute later it is the next day there.
    before = int(datetime(2026, 3, 1, 15, 59, tzinfo=UTC).timestamp() // 60)
    assert counting.local_day_number(before) + 1 == counting.local_day_number(before + 1)
    assert counting.local_day_number(before) == counting.local_day_number(before - 23 * 60)


def test_the_buffer_writes_when_the_minute_changes_or_every_few_seconds(recording, clock):
    written = []
    fresh = buffer.VisitBuffer(clock=clock, writer=lambda rows: written.append(rows))
    minute = int(clock() // 60)
    fresh.add(minute, "a", clock())  # the first page view of a process goes out at once
    assert len(written) == 1
    clock.advance(1)
    fresh.add(minute, "b", clock())
    fresh.add(minute, "a", clock())
    assert len(written) == 1 and fresh.pending() == {minute: (2, 2)}
    clock.advance(buffer.FLUSH_EVERY)
    fresh.add(minute, "c", clock())
    assert len(written) == 2 and fresh.pending() == {}
    fresh.add(minute + 1, "a", clock())  # a new minute: written at once
    assert len(written) == 3
    assert [list(rows.values()) for rows in written] == [
        [(1, {"a"})],
        [(3, {"a", "b", "c"})],
        [(1, {"a"})],
    ]


def test_two_processes_flushing_the_same_minute_add_up(recording, clock):
    minute = int(clock() // 60)
    first, second = buffer.VisitBuffer(clock=clock), buffer.VisitBuffer(clock=clock)
    for visitor in ["a", "b", "a"]:
        first.add(minute, visitor, clock())  # the first goes out at once, the rest wait
    for visitor in ["b", "c"]:
        second.add(minute, visitor, clock())
    assert first.pending() == {minute: (2, 2)} and second.pending() == {minute: (1, 1)}
    assert first.flush() == 2
    assert second.flush() == 1
    assert second.flush() == 0  # nothing twice
    [(_, visits, visitors)] = minute_figures()
    assert (visits, visitors) == (5, 3)


def test_writing_the_same_minute_again_adds_visits_and_keeps_visitors_distinct(db):
    minute = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    services.record_visits(minutes={minute: (4, {"a", "b"})})
    services.record_visits(minutes={minute: (6, {"b", "c", "d"})})
    row = TrafficMinute.objects.get()
    assert row.visits == 10
    assert set(TrafficVisitor.objects.values_list("visitor", flat=True)) == {"a", "b", "c", "d"}


def test_many_threads_adding_at_once_lose_nothing(clock):
    written: list[dict] = []
    lock = threading.Lock()

    def write(rows):
        with lock:
            written.append(rows)

    shared = buffer.VisitBuffer(clock=clock, writer=write)
    minute = int(clock() // 60)
    start = threading.Barrier(8)

    def visit(thread: int):
        start.wait()
        for n in range(2000):
            shared.add(minute + n % 3, f"{thread}-{n % 50}", clock())

    threads = [threading.Thread(target=visit, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shared.flush()
    visits = sum(v for rows in written for v, _ in rows.values())
    per_minute: dict = {}
    for rows in written:
        for when, (_, seen) in rows.items():
            per_minute.setdefault(when, set()).update(seen)
    assert visits == 8 * 2000
    assert sorted(len(seen) for seen in per_minute.values()) == [8 * 50] * 3


def test_the_page_is_served_when_the_database_write_fails(
    client, recording, monkeypatch, caplog, clock
):
    real_record_visits = services.record_visits

    def broken(**kwargs):
        raise DatabaseError("the database is down")

    monkeypatch.setattr(services, "record_visits", broken)
    with caplog.at_level(logging.ERROR, logger="gongyi.traffic.buffer"):
        response = client.get("/", headers={"user-agent": BROWSER})
    assert response.status_code == 200
    assert "could not write" in caplog.text
    minute = int(clock() // 60)
    assert recording.pending() == {minute: (1, 1)}  # kept for the next flush
    monkeypatch.setattr(services, "record_visits", real_record_visits)  # the database is back
    assert recording.flush() == 1
    assert TrafficMinute.objects.get().visits == 1


def test_the_page_is_served_when_counting_itself_fails(client, recording, monkeypatch, caplog):
    def broken(request, minute):
        raise RuntimeError("bug")

    monkeypatch.setattr(counting, "visitor_of", broken)
    with caplog.at_level(logging.ERROR, logger="gongyi.traffic.middleware"):
        response = client.get("/", headers={"user-agent": BROWSER})
    assert response.status_code == 200
    assert "could not count" in caplog.text


def test_an_outage_keeps_only_the_latest_minutes(clock, monkeypatch, caplog):
    def broken(rows):
        raise DatabaseError("down")

    monkeypatch.setattr(buffer, "MAX_PENDING_MINUTES", 3)
    failing = buffer.VisitBuffer(clock=clock, writer=broken)
    minute = int(clock() // 60)
    with caplog.at_level(logging.ERROR, logger="gongyi.traffic.buffer"):
        for n in range(5):
            failing.add(minute + n, "a", clock())
    assert sorted(failing.pending()) == [minute + 2, minute + 3, minute + 4]
    assert "dropped 1 page views" in caplog.text
