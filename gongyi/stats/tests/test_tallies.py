"""The tallies equal a full recomputation and a naive sum over the ledger, whatever the
order of confirmations, corrections and consent changes (DESIGN invariant 5)."""

from datetime import date, timedelta

import pytest
from django.db.models import Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongyi.service.selectors import counting_records
from gongyi.stats import selectors, services
from gongyi.stats.models import RankingConsent, Tally, TallyQueue
from gongyi.stats.tests.conftest import DAY, append, committed, correct, snapshot
from gongyi.testing.people import make_volunteer

Kind = Tally.Kind


def naive_top(field: str, region_q: Q, *, limit: int = 100) -> list[tuple[int, int]]:
    """The top by a GROUP BY over the counting records (what the tallies replace)."""
    return list(
        counting_records()
        .filter(region_q)
        .values(field)
        .annotate(total=Sum("minutes"))
        .order_by("-total", field)
        .values_list(field, "total")[:limit]
    )


def assert_equal_to_recompute_and_ledger(city):
    services.drain()
    drained = snapshot()
    services.recompute()
    assert snapshot() == drained
    total = counting_records().filter(project__district__city=city)
    assert selectors.figure(Kind.TOTAL, city.pk) == (
        sum(r.minutes for r in total),
        total.count(),
    )
    for kind, field in ((Kind.ORGANISATION, "organisation_id"), (Kind.PROJECT, "project_id")):
        naive = naive_top(field, Q(project__district__city=city), limit=10)
        tallied = selectors.top(kind, city.pk, limit=10)
        assert tallied[: len(naive)] == naive


def test_a_record_is_queued_then_drained_into_every_shape(projects, city, east, community):
    person = make_volunteer()
    record = append(person, projects[0], minutes=90, day=DAY)
    assert not TallyQueue.objects.exists()  # drained on commit (tasks run at once in tests)
    assert selectors.figure(Kind.TOTAL, city.pk) == (90, 1)
    assert selectors.figure(Kind.TOTAL, east.pk, year=2026, month=3) == (90, 1)
    assert selectors.figure(Kind.ORGANISATION, east.pk, record.organisation_id, 2026) == (90, 1)
    assert selectors.figure(Kind.COMMUNITY, city.pk, community.pk) == (90, 1)
    assert selectors.figure(Kind.PROJECT, city.pk, projects[0].pk, 2026) == (90, 1)
    assert selectors.figure(Kind.CATEGORY, city.pk, projects[0].category_id) == (90, 1)
    # Not opted in: no row of the volunteer's own.
    assert selectors.figure(Kind.VOLUNTEER, city.pk, person.pk) == (0, 0)


def test_a_correction_replaces_the_minutes_it_corrects(projects, city, recorder):
    person = make_volunteer()
    record = append(person, projects[2], minutes=120)
    fixed = correct(record, 30, recorder)
    assert selectors.figure(Kind.TOTAL, city.pk) == (30, 1)
    correct(fixed, 0, recorder)  # "I did not serve": the record stops counting
    assert selectors.figure(Kind.TOTAL, city.pk) == (0, 0)
    assert_equal_to_recompute_and_ledger(city)


def test_consent_builds_and_removes_the_volunteers_own_rows(projects, city, west):
    person = make_volunteer()
    append(person, projects[2], minutes=60, day=date(2025, 12, 31))
    append(person, projects[3], minutes=45, day=DAY)
    services.set_ranking_consent(volunteer=person, given=True)
    assert selectors.figure(Kind.VOLUNTEER, city.pk, person.pk) == (105, 2)
    assert selectors.figure(Kind.VOLUNTEER, west.pk, person.pk, 2025, 12) == (60, 1)
    append(person, projects[2], minutes=15, day=DAY)  # drained as a consenting volunteer
    assert selectors.figure(Kind.VOLUNTEER, city.pk, person.pk, 2026) == (60, 2)
    assert_equal_to_recompute_and_ledger(city)
    services.set_ranking_consent(volunteer=person, given=False)
    assert not Tally.objects.filter(kind=Kind.VOLUNTEER, subject_id=person.pk).exists()


def test_a_recompute_leaves_queued_records_to_the_drain(projects, city, monkeypatch):
    from types import SimpleNamespace

    from gongyi.stats import receivers

    late_worker = SimpleNamespace(enqueue=lambda: None)
    monkeypatch.setattr(receivers, "drain_tallies", late_worker)
    person = make_volunteer()
    append(person, projects[0], minutes=60)
    append(person, projects[1], minutes=30)
    assert TallyQueue.objects.count() == 2
    services.recompute()
    assert selectors.figure(Kind.TOTAL, city.pk) == (0, 0)  # not yet: still queued
    assert services.drain() == 2
    assert selectors.figure(Kind.TOTAL, city.pk) == (90, 2)  # once, not twice
    assert_equal_to_recompute_and_ledger(city)


def test_moving_a_project_to_another_district_moves_its_hours(projects, east, west):
    person = make_volunteer()
    append(person, projects[3], minutes=60)
    assert selectors.figure(Kind.TOTAL, east.pk) == (60, 1)
    with committed():
        projects[3].district = west
        projects[3].save()
    assert selectors.figure(Kind.TOTAL, east.pk) == (0, 0)
    assert selectors.figure(Kind.TOTAL, west.pk) == (60, 1)


def test_top_keeps_everyone_tied_with_the_last_place(projects, city):
    people = [make_volunteer() for _ in range(4)]
    for person, minutes in zip(people, (90, 60, 60, 30), strict=True):
        services.set_ranking_consent(volunteer=person, given=True)
        append(person, projects[0], minutes=minutes)
    ranked = selectors.top(Kind.VOLUNTEER, city.pk, limit=2)
    assert [minutes for _, minutes in ranked] == [90, 60, 60]


APPEND = st.tuples(st.just("append"), st.integers(0, 2), st.integers(0, 3), st.integers(1, 600))
CORRECT = st.tuples(st.just("correct"), st.integers(0, 30), st.integers(0, 600), st.just(0))
CONSENT = st.tuples(st.just("consent"), st.integers(0, 2), st.booleans(), st.just(0))
DAYS = st.integers(0, 500)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(st.tuples(st.one_of(APPEND, CORRECT, CONSENT), DAYS), max_size=14))
def test_any_confirmations_corrections_and_consents_equal_a_full_recomputation(
    projects, city, recorder, operations
):
    people = [make_volunteer() for _ in range(3)]
    live = []
    for (action, a, b, c), days in operations:
        if action == "append":
            day = date(2025, 6, 1) + timedelta(days=days)
            live.append(append(people[a], projects[b], minutes=c, day=day))
        elif action == "correct" and live:
            record = live.pop(a % len(live))
            live.append(correct(record, b, recorder) if record.minutes != b else record)
        elif action == "consent":
            services.set_ranking_consent(volunteer=people[a], given=b)
    assert_equal_to_recompute_and_ledger(city)
    for person in people:
        mine = sum(r.minutes for r in live if r.volunteer_id == person.pk)
        tallied = selectors.figure(Kind.VOLUNTEER, city.pk, person.pk)[0]
        consenting = RankingConsent.objects.filter(volunteer=person).exists()
        assert tallied == (mine if consenting else 0)


@pytest.mark.parametrize("command", ["drain_tallies", "recompute_tallies"])
def test_management_commands(projects, city, command):
    from io import StringIO

    from django.core.management import call_command

    append(make_volunteer(), projects[0], minutes=60)
    out = StringIO()
    call_command(command, stdout=out)
    assert "drained" in out.getvalue()
    assert selectors.figure(Kind.TOTAL, city.pk) == (60, 1)


def test_moving_a_project_after_queued_and_drained_records_equals_a_recompute(
    projects, city, east, west, health, monkeypatch
):
    from types import SimpleNamespace

    from gongyi.stats import receivers

    person = make_volunteer()
    append(person, projects[0], minutes=60)  # drained at once
    monkeypatch.setattr(receivers, "drain_tallies", SimpleNamespace(enqueue=lambda: None))
    append(person, projects[0], minutes=30)  # still queued when the project moves
    with committed():
        projects[0].district = west
        projects[0].category = health
        projects[0].save()
    services.drain()
    assert selectors.figure(Kind.TOTAL, east.pk) == (0, 0)
    assert selectors.figure(Kind.TOTAL, west.pk) == (90, 2)
    assert selectors.figure(Kind.CATEGORY, city.pk, health.pk) == (90, 2)
    assert_equal_to_recompute_and_ledger(city)


def test_a_team_that_changes_community_takes_its_hours_along(projects, team, city, street):
    from gongyi.regions.models import Region

    person = make_volunteer()
    append(person, projects[0], minutes=45)
    elsewhere = Region.objects.create(
        code="310101002009",
        name="另一居委",
        level=Region.Level.COMMUNITY,
        parent=street,
        city=city,
    )
    before = team.community_id
    with committed():
        team.community = elsewhere
        team.save()
    assert selectors.figure(Kind.COMMUNITY, city.pk, before) == (0, 0)
    assert selectors.figure(Kind.COMMUNITY, city.pk, elsewhere.pk) == (45, 1)
    assert_equal_to_recompute_and_ledger(city)


def test_one_transaction_of_several_records_queues_one_drain(projects, city, monkeypatch):
    from types import SimpleNamespace

    from django.db import transaction
    from django.utils import timezone

    from gongyi.service import services as ledger
    from gongyi.service.models import ServiceRecord
    from gongyi.stats import receivers

    drains = []
    monkeypatch.setattr(
        receivers, "drain_tallies", SimpleNamespace(enqueue=lambda: drains.append(1))
    )
    with committed(), transaction.atomic():  # as confirming a shift of three volunteers does
        for person in (make_volunteer(), make_volunteer(), make_volunteer()):
            ledger.lock_volunteer(person.pk)
            ledger.append_locked(
                volunteer=person,
                now=timezone.now(),
                project=projects[0],
                organisation=projects[0].organisation,
                activity=projects[0].title,
                served_on=DAY,
                place="社区文化活动中心",
                content="社区服务",
                minutes=60,
                leader_name="李四",
                source=ServiceRecord.Source.ENTRY,
            )
    assert len(drains) == 1
    assert TallyQueue.objects.count() == 3
    services.drain()
    assert selectors.figure(Kind.TOTAL, city.pk) == (180, 3)
