"""Cancelling a project with thousands of signups: a bounded number of queries, everyone told.

`project_cancel` closes the signups with one UPDATE and writes notices and audit entries in
bulk; the shifts' `taken` ends equal to their confirmed count (invariant 1), also while
volunteers sign up and cancel at the same moment (PostgreSQL, real threads).
"""

import itertools
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from gongyi.accounts.models import User, Volunteer
from gongyi.core.errors import ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.projects.models import Project, Shift
from gongyi.signups import services
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.signups.tests.test_concurrency import on_postgres, run_at_once
from gongyi.testing.people import make_volunteer

S = Signup.Status
_phones = itertools.count(16600000001)


def crowd(n: int) -> list[Volunteer]:
    """n volunteers inserted in bulk (the shared helper makes one at a time: too slow here)."""
    users = User.objects.bulk_create(
        [User(phone=str(next(_phones)), password="!") for _ in range(n)], batch_size=500
    )
    users = User.objects.filter(phone__in=[u.phone for u in users]).order_by("id")
    return Volunteer.objects.bulk_create(
        [
            Volunteer(
                user=user, number=f"B{user.pk:010d}", real_name="批量志愿者", id_type="resident_id"
            )
            for user in users
        ],
        batch_size=500,
    )


def add_signups(shift: Shift, people, status: str) -> None:
    Signup.objects.bulk_create(
        [Signup(volunteer=v, shift=shift, status=status) for v in people], batch_size=500
    )
    if status == S.CONFIRMED:
        Shift.objects.filter(pk=shift.pk).update(taken=len(people))


def confirmed_counts(project: Project) -> dict[int, tuple[int, int]]:
    """shift id → (taken, confirmed signups): equal everywhere when invariant 1 holds."""
    shifts = Shift.objects.filter(project=project).annotate(
        confirmed=Count("signups", filter=Q(signups__status=S.CONFIRMED))
    )
    return {s.pk: (s.taken, s.confirmed) for s in shifts}


@pytest.fixture
def big_project(org):
    """1,500 live signups on three shifts; 200 volunteers hold two shifts; some already closed."""
    project = make_project(org)
    first = make_shift(project, capacity=1000)
    second = make_shift(project, capacity=500, start=first.starts_at + timedelta(days=1))
    third = make_shift(project, capacity=None, start=first.starts_at + timedelta(days=2))
    people = crowd(1300)
    add_signups(first, people[:800], S.CONFIRMED)
    add_signups(second, people[800:1100], S.WAITLISTED)
    add_signups(third, people[1100:1300], S.PENDING)
    add_signups(second, people[:200], S.CONFIRMED)  # two shifts each: one notice each
    add_signups(third, people[:10], S.CANCELLED)  # closed before: left as they are
    return project


def test_1500_signups_cancelled_in_bounded_queries_and_everyone_told(
    big_project, org_admin, django_assert_max_num_queries
):
    live = Signup.objects.filter(shift__project=big_project, status__in=Signup.LIVE)
    assert live.count() == 1500
    users = set(live.values_list("volunteer__user_id", flat=True))
    with django_assert_max_num_queries(20):
        services.project_cancel(actor=org_admin, project=big_project, reason="暴雨红色预警")

    big_project.refresh_from_db()
    assert big_project.status == Project.Status.CANCELLED and big_project.cancelled_at
    assert not live.exists()
    closed = Signup.objects.filter(shift__project=big_project, reason="暴雨红色预警")
    assert closed.count() == 1500
    assert set(closed.values_list("status", "decided_by")) == {(S.CANCELLED, org_admin.pk)}
    assert all(
        taken == confirmed == 0 for taken, confirmed in confirmed_counts(big_project).values()
    )

    notices = Notice.objects.filter(kind="project.cancelled")
    assert notices.count() == len(users) == 1300  # one per volunteer, not one per signup
    assert set(notices.values_list("user_id", flat=True)) == users
    assert set(notices.values_list("body", flat=True)) == {"暴雨红色预警"}
    assert all(big_project.title in title for title in notices.values_list("title", flat=True))

    assert AuditEntry.objects.filter(action="project.cancelled").count() == 1
    summary = AuditEntry.objects.get(action="project.cancelled")
    assert summary.target_id == str(big_project.pk) and summary.actor == org_admin
    assert summary.data["signups"] == 1500 and summary.data["volunteers"] == 1300
    assert summary.data["reason"] == "暴雨红色预警"
    per_signup = AuditEntry.objects.filter(action="signup.cancelled", target_type="signups.signup")
    assert set(per_signup.values_list("target_id", flat=True)) == {
        str(pk) for pk in closed.values_list("pk", flat=True)
    }
    assert all(entry.at is not None for entry in per_signup[:5])


def test_a_volunteer_on_two_shifts_gets_one_notice_naming_both(project, org_admin):
    first = make_shift(project, capacity=5)
    second = make_shift(project, capacity=5, start=first.starts_at + timedelta(days=1))
    volunteer = make_volunteer()
    services.signup_create(volunteer=volunteer, shift=first)
    services.signup_create(volunteer=volunteer, shift=second)
    services.project_cancel(actor=org_admin, project=project, reason="场地维修")
    (notice,) = Notice.objects.filter(user=volunteer.user, kind="project.cancelled")
    assert f"{timezone.localtime(first.starts_at):%Y-%m-%d %H:%M}" in notice.title
    assert notice.title.count("、") == 1 and notice.body == "场地维修"
    assert notice.url


def test_signups_closed_earlier_are_left_alone_and_a_repeat_changes_nothing(big_project, org_admin):
    earlier = list(Signup.objects.filter(status=S.CANCELLED).values_list("pk", "reason"))
    services.project_cancel(actor=org_admin, project=big_project, reason="天气")
    assert set(
        Signup.objects.filter(pk__in=[pk for pk, _ in earlier]).values_list("pk", "reason")
    ) == set(earlier)
    notices, entries = Notice.objects.count(), AuditEntry.objects.count()
    services.project_cancel(actor=org_admin, project=big_project, reason="again")
    assert (Notice.objects.count(), AuditEntry.objects.count()) == (notices, entries)


def test_a_leader_cannot_cancel_and_nothing_changes(big_project, leader):
    with pytest.raises(ServiceError):
        services.project_cancel(actor=leader, project=big_project, reason="x")
    assert Signup.objects.filter(status__in=Signup.LIVE).count() == 1500
    assert not Notice.objects.exists()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_cancel_racing_signups_and_cancellations_keeps_taken_equal_to_confirmed(org, org_admin):
    project = make_project(org)
    first = make_shift(project, capacity=20)
    shifts = [first] + [
        make_shift(project, capacity=20, start=first.starts_at + timedelta(days=d)) for d in (1, 2)
    ]
    early = [make_volunteer(real_name=f"早{i}") for i in range(30)]
    held = [services.signup_create(volunteer=v, shift=shifts[i % 3]) for i, v in enumerate(early)]
    late = [make_volunteer(real_name=f"晚{i}") for i in range(30)]

    calls = [lambda: services.project_cancel(actor=org_admin, project=project, reason="停办")]
    calls += [lambda s=s: _quietly(services.signup_cancel, actor=s.volunteer.user, signup=s)
              for s in held[:15]]  # fmt: skip
    calls += [lambda v=v, i=i: _quietly(services.signup_create, volunteer=v, shift=shifts[i % 3])
              for i, v in enumerate(late)]  # fmt: skip
    run_at_once(calls, workers=40)

    for taken, confirmed in confirmed_counts(project).values():
        assert taken == confirmed
    told = set(Notice.objects.filter(kind="project.cancelled").values_list("user_id", flat=True))
    cancelled_by_project = set(
        Signup.objects.filter(shift__project=project, reason="停办").values_list(
            "volunteer__user_id", flat=True
        )
    )
    assert told == cancelled_by_project


def _quietly(call, **kwargs):
    """A signup refused because the project is cancelled by then is a fine outcome here."""
    try:
        return call(**kwargs)
    except ServiceError as error:
        return error


def _hold_shift_lock(shift: Shift, seconds: float, locked: threading.Event) -> None:
    """Another request holding a shift of the project (its own connection) for a while."""
    try:
        with transaction.atomic():
            Shift.objects.select_for_update().filter(pk=shift.pk).first()
            locked.set()
            time.sleep(seconds)
    finally:
        connection.close()


@on_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("held", "cancelled"), [(0.2, True), (3.0, False)])
def test_a_busy_shift_is_waited_for_briefly_then_refused_with_nothing_changed(
    org, org_admin, volunteer, held, cancelled
):
    project = make_project(org)
    shift = make_shift(project)
    services.signup_create(volunteer=volunteer, shift=shift)
    locked = threading.Event()
    holder = threading.Thread(target=_hold_shift_lock, args=(shift, held, locked))
    holder.start()
    locked.wait(5)
    try:
        outcome = _quietly(services.project_cancel, actor=org_admin, project=project, reason="停办")
    finally:
        holder.join()
    project.refresh_from_db()
    if cancelled:
        assert project.status == Project.Status.CANCELLED
        assert Notice.objects.filter(kind="project.cancelled").count() == 1
    else:
        assert isinstance(outcome, ServiceError) and outcome.code == "busy"
        assert project.status == Project.Status.PUBLISHED
        assert Signup.objects.get().status == S.CONFIRMED
        assert not Notice.objects.filter(kind="project.cancelled").exists()
    assert confirmed_counts(project) == {shift.pk: (1 - cancelled, 1 - cancelled)}
