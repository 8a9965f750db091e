"""The summary follows the records: refreshed on every append and correction, equal to a
from-scratch computation, badges awarded once, rules re-derived when the city changes them."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongyi.attendance.models import Attendance
from gongyi.attendance.signals import attendance_changed
from gongyi.core.clock import LOCAL_TZ
from gongyi.growth import selectors, services
from gongyi.growth.models import Badge, BadgeAward, GrowthSummary
from gongyi.growth.tests.conftest import append, committed, correct
from gongyi.notices.models import Notice
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_shift
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db


def summary_of(volunteer) -> dict:
    row = GrowthSummary.objects.get(volunteer=volunteer)
    return {name: getattr(row, name) for name in selectors.rules.Growth().figures()}


def live_awards(volunteer) -> dict:
    return {
        a.badge_id: (a.awarded_on, a.record_id, a.facts)
        for a in BadgeAward.objects.filter(volunteer=volunteer, revoked_at__isnull=True)
    }


def assert_matches_from_scratch(volunteer) -> None:
    """Invariant 5: what is stored equals what the records give, computed afresh."""
    fresh = selectors.compute_growth(volunteer)
    assert summary_of(volunteer) == fresh.figures()
    assert live_awards(volunteer) == {
        badge_id: (a.day, a.record_id, a.facts) for badge_id, a in fresh.awards.items()
    }


def test_an_append_refreshes_the_summary_on_commit(rules_ready, alice, project):
    append(alice, project, minutes=90)
    assert summary_of(alice) == {
        "minutes": 90,
        "points": 15 + 50 + 20,  # 1.5 h × 10, first service, a new district
        "level": 0,
        "stars": 0,
        "services": 1,
        "districts": 1,
    }
    assert_matches_from_scratch(alice)


def test_nothing_is_refreshed_before_the_commit(rules_ready, alice, project):
    from gongyi.service import services as ledger

    with transaction.atomic():
        ledger.lock_volunteer(alice.pk)
        ledger.append_locked(
            volunteer=alice,
            now=timezone.now(),
            project=project,
            organisation=project.organisation,
            activity="x",
            served_on=date(2026, 3, 1),
            place="x",
            content="x",
            minutes=60,
            leader_name="x",
            source="entry",
        )
    assert not GrowthSummary.objects.filter(volunteer=alice).exists()  # never committed


def test_exactly_100_hours_is_one_star(rules_ready, alice, project):
    append(alice, project, minutes=99 * 60 + 59, day=date(2026, 1, 1))
    assert summary_of(alice)["stars"] == 0
    append(alice, project, minutes=1, day=date(2026, 1, 2))
    assert summary_of(alice)["stars"] == 1
    notice = Notice.objects.get(user=alice.user, kind="growth.stars")
    assert "1" in notice.title and notice.url == "/growth/"


def test_a_correction_lowers_the_figures(rules_ready, alice, project, org_admin):
    record = append(alice, project, minutes=100 * 60)
    assert summary_of(alice)["stars"] == 1
    correct(record, 60, org_admin)
    assert summary_of(alice)["minutes"] == 60
    assert summary_of(alice)["stars"] == 0
    assert_matches_from_scratch(alice)


def test_a_badge_is_awarded_once_and_explained(rules_ready, alice, projects, org_admin):
    five = Badge.objects.get(code="five_districts")
    records = [append(alice, p, day=date(2026, 1, i + 1)) for i, p in enumerate(projects[:5])]
    award = BadgeAward.objects.get(volunteer=alice, badge=five)
    assert award.awarded_on == date(2026, 1, 5) and award.record_id == records[4].pk
    notices = Notice.objects.filter(
        user=alice.user, kind="growth.badge", title__contains="足迹五区"
    )
    assert notices.count() == 1
    assert "黄浦区" in notices.get().body and "5" in notices.get().body

    # A sixth district: the rule still holds, nothing new is awarded.
    append(alice, projects[5], day=date(2026, 1, 6))
    # A correction breaks the rule: the award is withdrawn, not deleted…
    correct(records[0], 0, org_admin)
    correct(records[1], 0, org_admin)
    award.refresh_from_db()
    assert award.revoked_at is not None
    assert_matches_from_scratch(alice)
    # …and when the rule holds again the same row comes back: never a second award or notice.
    append(alice, projects[0], day=date(2026, 2, 1))
    append(alice, projects[1], day=date(2026, 2, 2))
    assert BadgeAward.objects.filter(volunteer=alice, badge=five).count() == 1
    award.refresh_from_db()
    assert award.revoked_at is None and award.awarded_on == date(2026, 2, 1)
    assert notices.count() == 1
    assert_matches_from_scratch(alice)


def test_elderly_and_training_follow_the_settings(
    rules_ready, alice, elderly_project, training_project, elderly, training_category
):
    # The settings row was made before these taxonomy rows existed: the city sets them.
    current = selectors.current_settings()
    current.elderly_group = elderly
    current.save()
    current.training_categories.set([training_category])
    for day in range(1, 11):
        append(alice, elderly_project, minutes=60, day=date(2026, 1, day))
    append(alice, training_project, minutes=60, day=date(2026, 1, 20))
    assert set(
        BadgeAward.objects.filter(volunteer=alice).values_list("badge__code", flat=True)
    ) >= {
        "elderly_ten",
        "first_step",
        "ten_services",
    }
    kinds = [e.kind for e in selectors.compute_growth(alice).events]
    assert kinds.count("training") == 1


def test_a_no_show_refreshes_and_restarts_the_reliable_year(rules_ready, alice, project):
    append(alice, project, day=date(2025, 1, 1))
    append(alice, project, day=date(2026, 1, 2))
    assert BadgeAward.objects.filter(volunteer=alice, badge__code="reliable_year").exists()
    shift = make_shift(project, start=datetime(2025, 6, 1, 9, tzinfo=LOCAL_TZ))
    signup = Signup.objects.create(volunteer=alice, shift=shift, status="confirmed")
    row = Attendance.objects.create(signup=signup, no_show=True, reason="未到")
    with committed():  # as attendance.services.mark_no_show sends it
        transaction.on_commit(
            lambda: attendance_changed.send(sender=Attendance, attendance=row, action="no_show")
        )
    award = BadgeAward.objects.get(volunteer=alice, badge__code="reliable_year")
    assert award.revoked_at is not None  # 2025-06-01 … 2026-01-02 is not a year
    assert_matches_from_scratch(alice)


def test_recompute_from_scratch_gives_the_same_result(rules_ready, projects, org_admin):
    people = [make_volunteer(real_name=f"志愿者{i}") for i in range(3)]
    for i, person in enumerate(people):
        for j in range(4 + i):
            record = append(
                person, projects[j % 6], minutes=600 * (i + 1), day=date(2026, 1, j + 1)
            )
        correct(record, 30, org_admin)
    before = {p.pk: (summary_of(p), live_awards(p)) for p in people}
    GrowthSummary.objects.all().delete()
    BadgeAward.objects.all().delete()
    assert services.recompute_all() == 3
    assert {p.pk: (summary_of(p), live_awards(p)) for p in people} == before
    for person in people:
        assert_matches_from_scratch(person)
    # Twice is the same as once.
    services.recompute_all()
    assert {p.pk: (summary_of(p), live_awards(p)) for p in people} == before


def test_the_management_command(rules_ready, alice, project, capsys):
    append(alice, project)
    GrowthSummary.objects.all().delete()
    call_command("recompute_growth")
    assert "1 volunteers recomputed" in capsys.readouterr().out
    assert summary_of(alice)["minutes"] == 120
    call_command("recompute_growth", volunteer=alice.pk)
    assert "1 volunteer recomputed" in capsys.readouterr().out
    call_command("recompute_growth", volunteer=999999)
    assert "No such volunteer" in capsys.readouterr().err


def test_recompute_is_quiet(rules_ready, alice, project):
    append(alice, project, minutes=100 * 60)
    Notice.objects.filter(user=alice.user).delete()
    GrowthSummary.objects.all().delete()
    BadgeAward.objects.all().delete()
    services.recompute_all()
    assert not Notice.objects.filter(user=alice.user, kind__startswith="growth.").exists()


def test_changing_the_thresholds_re_derives_everyone(rules_ready, alice, project, city_admin):
    append(alice, project, minutes=50 * 60)
    assert summary_of(alice)["stars"] == 0
    current = selectors.current_settings()
    with committed():  # the task is queued on commit (and runs at once in tests)
        services.update_settings(
            actor=city_admin,
            star_hours=[10, 20, 30, 40, 50],
            levels=current.levels,
            points={name: getattr(current, name) for name in services.POINT_FIELDS},
            streak_months=current.streak_months,
            training_category_ids=[],
            elderly_group_id=None,
        )
    assert summary_of(alice)["stars"] == 5
    assert GrowthSummary.objects.get(volunteer=alice).settings_version == current.version + 1
    assert selectors.stars_for_hours(20) == 2
    assert_matches_from_scratch(alice)


def test_stars_for_hours_reads_the_city_thresholds(rules_ready):
    assert [selectors.stars_for_hours(h) for h in (0, 9.9, 99.99, 100, 1499, 1500)] == [
        0,
        0,
        0,
        1,
        4,
        5,
    ]


def test_a_failing_refresh_never_fails_the_hours(rules_ready, alice, project, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "refresh_volunteer", broken)
    record = append(alice, project)  # no exception reaches the ledger's caller
    assert record.pk
    assert not GrowthSummary.objects.filter(volunteer=alice).exists()


def test_refresh_of_an_unknown_volunteer_is_none(rules_ready):
    assert services.refresh_volunteer(volunteer_id=999999) is None


# --- the property: random appends and corrections never leave the summary behind ------------------

APPEND = st.tuples(
    st.just("append"),
    st.integers(0, 5),  # which project (district)
    st.integers(1, 40 * 60),  # minutes
    st.integers(0, 800),  # days after 2025-01-01
)
CORRECT = st.tuples(st.just("correct"), st.integers(0, 50), st.integers(0, 40 * 60), st.just(0))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=APPEND, operations=st.lists(st.one_of(APPEND, CORRECT), max_size=12))
def test_any_appends_and_corrections_leave_the_summary_equal_to_a_fresh_computation(
    rules_ready, projects, org_admin, first, operations
):
    person = make_volunteer(real_name="随机志愿者")
    effective = []
    for kind, which, minutes, days in [first, *operations]:
        if kind == "append":
            day = date(2025, 1, 1) + timedelta(days=days)
            effective.append(append(person, projects[which], minutes=minutes, day=day))
        elif effective:
            record = effective.pop(which % len(effective))
            if record.minutes != minutes:
                effective.append(correct(record, minutes, org_admin))
            else:
                effective.append(record)
    assert_matches_from_scratch(person)
    assert summary_of(person)["minutes"] == sum(r.minutes for r in effective)


def test_many_appends_in_one_transaction_refresh_each_volunteer_once(
    rules_ready, alice, projects, monkeypatch
):
    from gongyi.service import services as ledger

    calls = []
    real = services.refresh_volunteer
    monkeypatch.setattr(services, "refresh_volunteer", lambda **kw: calls.append(kw) or real(**kw))
    with committed(), transaction.atomic():
        ledger.lock_volunteer(alice.pk)
        for i, project in enumerate(projects):
            ledger.append_locked(
                volunteer=alice,
                now=timezone.now(),
                project=project,
                organisation=project.organisation,
                activity=project.title,
                served_on=date(2026, 1, i + 1),
                place="人民广场",
                content="社区服务",
                minutes=60,
                leader_name="李四",
                source="entry",
            )
    assert len(calls) == 1
    assert summary_of(alice)["services"] == 6
    assert_matches_from_scratch(alice)


def test_a_settings_change_queues_one_background_task(rules_ready, city_admin, settings):
    from django_tasks_db.models import DBTaskResult

    from gongyi.growth import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    current = selectors.current_settings()
    with committed():
        services.update_settings(
            actor=city_admin,
            star_hours=[50, 300, 600, 1000, 1500],
            levels=current.levels,
            points={name: getattr(current, name) for name in services.POINT_FIELDS},
            streak_months=current.streak_months,
            training_category_ids=[],
            elderly_group_id=None,
        )
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "gongyi.growth.tasks.rederive_growth"
    assert tasks.rederive_growth.call() == tasks.rederive_growth.call() == 0  # twice: the same


def test_below_the_least_first_star_no_query_is_needed(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.stars_for_hours(9.99) == 0
