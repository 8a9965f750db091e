"""Signing up, eligibility, cancelling, the waitlist and the organiser's decisions."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import override

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.orgs.models import Membership
from gongyi.projects.models import Project
from gongyi.signups import services
from gongyi.signups.models import Signup
from gongyi.signups.services import SignupRefused, signup_cancel, signup_create
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_org, make_user, make_volunteer

pytestmark = pytest.mark.django_db
S = Signup.Status


def refused_code(**kwargs) -> str:
    with pytest.raises(SignupRefused) as refusal:
        signup_create(**kwargs)
    return refusal.value.code


def test_first_come_confirms_until_full_then_waitlists(shift, volunteers):
    outcomes = [signup_create(volunteer=v, shift=shift).status for v in volunteers[:3]]
    assert outcomes == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    shift.refresh_from_db()
    assert shift.taken == 2
    assert AuditEntry.objects.filter(action="signup.created").count() == 3
    kinds = list(Notice.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["signup.confirmed", "signup.confirmed", "signup.waitlisted"]


def test_unlimited_shift_confirms_everyone(project, volunteers):
    shift = make_shift(project, capacity=None)
    assert {signup_create(volunteer=v, shift=shift).status for v in volunteers} == {S.CONFIRMED}


def test_review_required_is_pending_without_a_place(org, volunteer):
    shift = make_shift(make_project(org, review_required=True), capacity=1)
    signup = signup_create(volunteer=volunteer, shift=shift)
    assert signup.status == S.PENDING
    shift.refresh_from_db()
    assert shift.taken == 0
    assert Notice.objects.get().kind == "signup.pending"


def test_repeat_signup_returns_the_same_and_changes_nothing(shift, volunteer):
    first = signup_create(volunteer=volunteer, shift=shift)
    again = signup_create(volunteer=volunteer, shift=shift)
    assert again.pk == first.pk and again.status == first.status
    shift.refresh_from_db()
    assert shift.taken == 1 and Signup.objects.count() == 1


def test_idempotency_key_replays_and_refuses_reuse_elsewhere(project, shift, volunteer):
    first = signup_create(volunteer=volunteer, shift=shift, idempotency_key="k-1")
    assert signup_create(volunteer=volunteer, shift=shift, idempotency_key="k-1").pk == first.pk
    other = make_shift(project, start=shift.starts_at + timedelta(days=1))
    with pytest.raises(ServiceError) as error:
        signup_create(volunteer=volunteer, shift=other, idempotency_key="k-1")
    assert error.value.code == "key_reused"


def test_database_refuses_two_live_signups_for_one_shift(shift, volunteer):
    signup_create(volunteer=volunteer, shift=shift)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.create(volunteer=volunteer, shift=shift, status=S.WAITLISTED)


def test_database_refuses_taken_above_capacity(shift):
    from gongyi.projects.models import Shift

    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(taken=3)


# --- eligibility reasons ----------------------------------------------------------------------


def test_window_not_open_and_closed(org, volunteer):
    now = timezone.now()
    later = make_project(org, recruit_start=now + timedelta(days=1))
    assert refused_code(volunteer=volunteer, shift=make_shift(later)) == "window_not_open"
    closed = make_project(
        org, recruit_start=now - timedelta(days=3), recruit_end=now - timedelta(days=1)
    )
    assert refused_code(volunteer=volunteer, shift=make_shift(closed)) == "window_closed"


def test_draft_and_cancelled_projects_refuse(org, volunteer):
    for status in (Project.Status.DRAFT, Project.Status.CANCELLED):
        shift = make_shift(make_project(org, status=status))
        assert refused_code(volunteer=volunteer, shift=shift) == "not_open"


def test_age_limits_on_the_day_of_the_shift(org):
    project = make_project(org, min_age=18, max_age=60)
    shift = make_shift(project)
    day = timezone.localtime(shift.starts_at).date()
    young = make_volunteer(birth_date=date(day.year - 17, 1, 1))
    old = make_volunteer(birth_date=date(day.year - 70, 1, 1))
    fine = make_volunteer(birth_date=date(day.year - 30, 1, 1))
    assert refused_code(volunteer=young, shift=shift) == "too_young"
    assert refused_code(volunteer=old, shift=shift) == "too_old"
    assert signup_create(volunteer=fine, shift=shift).status == S.CONFIRMED


def test_age_reason_is_chinese_by_default_and_english_on_request(org):
    shift = make_shift(make_project(org, min_age=18))
    day = timezone.localtime(shift.starts_at).date()
    young = make_volunteer(birth_date=date(day.year - 10, 1, 1))
    with pytest.raises(SignupRefused) as zh:
        signup_create(volunteer=young, shift=shift)
    assert "18" in str(zh.value.message) and "岁" in str(zh.value.message)
    with override("en"), pytest.raises(SignupRefused) as en:
        signup_create(volunteer=young, shift=shift)
    assert "at least 18 years old" in str(en.value.message)


def test_teams_only_needs_an_active_membership(org, district, volunteer):
    team = make_org(district, kind="professional_team")
    project = make_project(org)
    project.teams_only.add(team)
    shift = make_shift(project)
    assert refused_code(volunteer=volunteer, shift=shift) == "teams_only"
    Membership.objects.create(organisation=team, user=volunteer.user, status="active")
    assert signup_create(volunteer=volunteer, shift=shift).status == S.CONFIRMED


def test_overlapping_confirmed_shift_is_refused(project, volunteer):
    first = make_shift(project)
    overlapping = make_shift(project, start=first.starts_at + timedelta(hours=1))
    after = make_shift(project, start=first.ends_at)
    signup_create(volunteer=volunteer, shift=first)
    assert refused_code(volunteer=volunteer, shift=overlapping) == "overlap"
    assert signup_create(volunteer=volunteer, shift=after).status == S.CONFIRMED


def test_a_plain_account_must_register_as_a_volunteer(outsider):
    with pytest.raises(SignupRefused) as refusal:
        services.volunteer_of(outsider)
    assert refusal.value.code == "not_volunteer"


# --- cancelling and the waitlist --------------------------------------------------------------


def test_cancel_frees_the_place_and_promotes_the_first_waitlisted(shift, volunteers):
    a, _b, c, d = (signup_create(volunteer=v, shift=shift) for v in volunteers[:4])
    assert (c.status, d.status) == (S.WAITLISTED, S.WAITLISTED)
    signup_cancel(actor=a.volunteer.user, signup=a)
    c.refresh_from_db()
    d.refresh_from_db()
    shift.refresh_from_db()
    assert (c.status, d.status, shift.taken) == (S.CONFIRMED, S.WAITLISTED, 2)
    assert Notice.objects.filter(user=c.volunteer.user, kind="signup.promoted").exists()
    assert AuditEntry.objects.filter(action="signup.promoted", target_id=str(c.pk)).exists()
    assert AuditEntry.objects.filter(action="signup.cancelled", target_id=str(a.pk)).exists()


def test_promotion_skips_a_volunteer_confirmed_on_an_overlapping_shift(project, volunteers):
    full = make_shift(project, capacity=1)
    other = make_shift(project, capacity=None, start=full.starts_at)
    holder, skipped, next_one = volunteers[:3]
    first = signup_create(volunteer=holder, shift=full)
    waiting = signup_create(volunteer=skipped, shift=full)
    signup_create(volunteer=next_one, shift=full)
    signup_create(volunteer=skipped, shift=other)  # now confirmed at the same time
    signup_cancel(actor=holder.user, signup=first)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    assert Signup.objects.get(volunteer=next_one, shift=full).status == S.CONFIRMED


def test_cancel_after_the_deadline_is_refused(org, volunteer):
    project = make_project(org, cancel_hours_before=48)
    shift = make_shift(project, start=timezone.now() + timedelta(hours=30))
    signup = signup_create(volunteer=volunteer, shift=shift)
    with pytest.raises(ServiceError) as error:
        signup_cancel(actor=volunteer.user, signup=signup)
    assert error.value.code == "too_late"
    signup.refresh_from_db()
    assert signup.status == S.CONFIRMED


def test_cancelling_twice_changes_nothing(shift, volunteer):
    signup = signup_create(volunteer=volunteer, shift=shift)
    signup_cancel(actor=volunteer.user, signup=signup)
    again = signup_cancel(actor=volunteer.user, signup=signup)
    shift.refresh_from_db()
    assert again.status == S.CANCELLED and shift.taken == 0


def test_outsider_cannot_cancel_someone_elses_signup(shift, volunteer, outsider):
    signup = signup_create(volunteer=volunteer, shift=shift)
    with pytest.raises(NotAllowed):
        signup_cancel(actor=outsider, signup=signup)


def test_after_cancel_the_volunteer_can_sign_up_again(shift, volunteer):
    signup = signup_create(volunteer=volunteer, shift=shift)
    signup_cancel(actor=volunteer.user, signup=signup)
    assert signup_create(volunteer=volunteer, shift=shift).pk != signup.pk


# --- organiser decisions ------------------------------------------------------------------


def test_approve_takes_a_place_or_waitlists_when_full(org, org_admin, volunteers):
    shift = make_shift(make_project(org, review_required=True), capacity=1)
    a, b = (signup_create(volunteer=v, shift=shift) for v in volunteers[:2])
    assert services.signup_approve(actor=org_admin, signup=a).status == S.CONFIRMED
    assert services.signup_approve(actor=org_admin, signup=b).status == S.WAITLISTED


def test_reject_needs_a_reason_and_tells_the_volunteer(org, leader, volunteer):
    shift = make_shift(make_project(org, review_required=True))
    signup = signup_create(volunteer=volunteer, shift=shift)
    with pytest.raises(ServiceError) as error:
        services.signup_reject(actor=leader, signup=signup, reason="  ")
    assert error.value.code == "reason_required"
    services.signup_reject(actor=leader, signup=signup, reason="名额已满足")
    notice = Notice.objects.get(kind="signup.rejected")
    assert "名额已满足" in notice.body


def test_outsider_and_other_org_admin_cannot_decide(org, outsider, other_org_admin, volunteer):
    shift = make_shift(make_project(org, review_required=True))
    signup = signup_create(volunteer=volunteer, shift=shift)
    for who in (outsider, other_org_admin, volunteer.user):
        with pytest.raises(NotAllowed):
            services.signup_approve(actor=who, signup=signup)
        with pytest.raises(NotAllowed):
            services.change_capacity(actor=who, shift=shift, capacity=5)


def test_move_takes_a_place_on_the_target_and_promotes_on_the_old(project, org_admin, volunteers):
    old = make_shift(project, capacity=1)
    target = make_shift(project, capacity=1, start=old.starts_at + timedelta(days=1))
    moved = signup_create(volunteer=volunteers[0], shift=old)
    waiting = signup_create(volunteer=volunteers[1], shift=old)
    services.signup_move(actor=org_admin, signup=moved, target=target)
    moved.refresh_from_db()
    waiting.refresh_from_db()
    old.refresh_from_db()
    target.refresh_from_db()
    assert (moved.shift_id, moved.status) == (target.pk, S.CONFIRMED)
    assert waiting.status == S.CONFIRMED
    assert (old.taken, target.taken) == (1, 1)


def test_move_to_a_full_shift_is_refused_and_changes_nothing(project, org_admin, volunteers):
    old = make_shift(project, capacity=1)
    target = make_shift(project, capacity=1, start=old.starts_at + timedelta(days=1))
    moved = signup_create(volunteer=volunteers[0], shift=old)
    signup_create(volunteer=volunteers[1], shift=target)
    with pytest.raises(ServiceError) as error:
        services.signup_move(actor=org_admin, signup=moved, target=target)
    assert error.value.code == "full"
    moved.refresh_from_db()
    assert moved.shift_id == old.pk


def test_move_to_another_projects_shift_is_refused(org, project, org_admin, volunteer):
    signup = signup_create(volunteer=volunteer, shift=make_shift(project))
    elsewhere = make_shift(make_project(org))
    with pytest.raises(ServiceError) as error:
        services.signup_move(actor=org_admin, signup=signup, target=elsewhere)
    assert error.value.code == "bad_target"


def test_capacity_never_below_confirmed_and_raising_promotes(shift, org_admin, volunteers):
    signups = [signup_create(volunteer=v, shift=shift) for v in volunteers[:4]]
    with pytest.raises(ServiceError) as error:
        services.change_capacity(actor=org_admin, shift=shift, capacity=1)
    assert error.value.code == "below_taken"
    shift.refresh_from_db()
    assert shift.capacity == 2
    services.change_capacity(actor=org_admin, shift=shift, capacity=3)
    statuses = [Signup.objects.get(pk=s.pk).status for s in signups]
    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    services.change_capacity(actor=org_admin, shift=shift, capacity=None)
    assert Signup.objects.filter(shift=shift, status=S.CONFIRMED).count() == 4


def test_project_cancel_ends_every_signup_and_tells_everyone(project, org_admin, volunteers):
    first = make_shift(project, capacity=1)
    second = make_shift(project, capacity=5, start=first.starts_at + timedelta(days=1))
    for v in volunteers[:3]:
        signup_create(volunteer=v, shift=first)
    signup_create(volunteer=volunteers[0], shift=second)
    services.project_cancel(actor=org_admin, project=project, reason="天气原因")
    project.refresh_from_db()
    assert project.status == Project.Status.CANCELLED
    assert not Signup.objects.filter(status__in=Signup.LIVE).exists()
    assert set(project.shifts.values_list("taken", flat=True)) == {0}
    told = set(Notice.objects.filter(kind="project.cancelled").values_list("user_id", flat=True))
    assert told == {v.user_id for v in volunteers[:3]}


def test_project_cancel_refused_to_a_leader_and_outsider(project, leader, outsider):
    for who in (leader, outsider, make_user()):
        with pytest.raises(NotAllowed):
            services.project_cancel(actor=who, project=project)
