"""Signing up, cancelling, the waitlist, the organiser's decisions and the lottery draw.

Capacity like pretix's quotas (DESIGN.md): a place is taken by ONE conditional
`UPDATE shift SET taken = taken + 1 WHERE id = … AND (capacity IS NULL OR taken < capacity)`;
its row count decides confirmed or waitlisted, and the database CHECK `taken <= capacity`
backs it up (invariant 1). One volunteer's signups are serialised by locking their Volunteer
row, so two overlapping shifts cannot both be confirmed (invariant 3); the partial UNIQUE
constraint keeps one live signup per volunteer and shift (invariant 2).

Lock order, everywhere: project → volunteer → signup → shift rows (primary-key order); each
service takes the ones it needs, in that order. A signup key-shares its project with the
volunteer lock (`_lock_for_signup`), so a project cancel waits for signups in flight.
Promotions take the promoted volunteer's lock with SKIP LOCKED so they never wait on it (no
deadlock cycle); cancelling a project takes its shifts with NOWAIT and its signups with SKIP
LOCKED, so it never waits while holding a lock.
"""

import random
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from time import sleep

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from psycopg.adapt import PyFormat, Transformer

from gongyi import permissions
from gongyi.accounts import selectors as accounts_selectors
from gongyi.accounts.models import Volunteer
from gongyi.core import rows
from gongyi.core.audit import audit_log, audit_log_many
from gongyi.core.errors import NotAllowed, ServiceError, require_allowed
from gongyi.notices.services import TITLE_LENGTH, notify, notify_many
from gongyi.orgs.models import Membership
from gongyi.projects.models import Project, Shift
from gongyi.projects.services import MAX_CAPACITY, list_changed
from gongyi.signups.models import LotteryDraw, Signup

S = Signup.Status
HAS_ROOM = Q(capacity__isnull=True) | Q(taken__lt=F("capacity"))


class SignupRefused(ServiceError):
    """The volunteer may not sign up for this shift; the message says why."""


# --- small helpers ------------------------------------------------------------------------


def _at(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _user_or_none(actor):
    """The acting user for a foreign key; None for the system (the draw) or a visitor."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _tell(signup: Signup, kind: str, title: str, body: str = "") -> None:
    notify(
        user=signup.volunteer.user, kind=kind, title=title, body=body, url=reverse("signups:mine")
    )


def take_place(shift_id: int) -> bool:
    """The one conditional UPDATE whose row count decides whether a place was free."""
    return bool(Shift.objects.filter(HAS_ROOM, pk=shift_id).update(taken=F("taken") + 1))


def _free_place(shift: Shift, *, actor, now) -> None:
    """A confirmed place came free: give it back, and fill it from the waitlist."""
    Shift.objects.filter(pk=shift.pk, taken__gt=0).update(taken=F("taken") - 1)
    promote_waitlisted(shift=shift, actor=actor, now=now)


def _lock_volunteer(volunteer_id: int) -> None:
    list(Volunteer.objects.select_for_update().filter(pk=volunteer_id).values_list("pk"))


def _lock_for_signup(volunteer_id: int, project_id: int) -> str:
    """Lock the volunteer, key-share the project, and return the project's current status.

    One statement. FOR KEY SHARE on the project conflicts only with `project_cancel`'s
    FOR UPDATE, not with other signups nor with edits of its other columns: a cancel waits
    for signups in flight (and then closes them), and a signup that comes after reads the
    cancelled status. Without it a signup that read "published" before the cancel could
    write its row after the cancel had closed the others and stay live (issue 3).
    SQLite runs one writer at a time, so the plain read is already current there.
    """
    if connection.vendor != "postgresql":
        _lock_volunteer(volunteer_id)
        return Project.objects.values_list("status", flat=True).get(pk=project_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.status FROM {Volunteer._meta.db_table} v, {Project._meta.db_table} p"
            " WHERE v.id = %s AND p.id = %s FOR UPDATE OF v FOR KEY SHARE OF p",
            [volunteer_id, project_id],
        )
        return cursor.fetchone()[0]


def _locked(signup: Signup) -> Signup:
    """The signup re-read under its row lock (only its row: of=self), with what callers use."""
    return (
        Signup.objects.select_for_update(of=("self",))
        .select_related("shift__project", "volunteer__user")
        .get(pk=signup.pk)
    )


def _live(volunteer: Volunteer, shift: Shift) -> Signup | None:
    return Signup.objects.filter(volunteer=volunteer, shift=shift, status__in=Signup.LIVE).first()


def _overlapping_confirmed(volunteer_id: int, shift: Shift, *, excluding: int | None = None):
    found = Signup.objects.filter(
        volunteer_id=volunteer_id,
        status=S.CONFIRMED,
        shift__starts_at__lt=shift.ends_at,
        shift__ends_at__gt=shift.starts_at,
    ).exclude(shift_id=shift.pk)
    if excluding:
        found = found.exclude(pk=excluding)
    return found.exists()


# --- eligibility --------------------------------------------------------------------------

# Refusals decided under the volunteer's lock: the ORM path raises them, and the PostgreSQL
# function (migration 0002) answers with their codes.
_LOCKED_REFUSALS = {
    "not_open": gettext_lazy("This project is not open for signups."),
    "teams_only": gettext_lazy("Only members of the teams this project names may sign up."),
    "overlap": gettext_lazy("You are already confirmed on another shift at the same time."),
}


def _refused(code: str) -> SignupRefused:
    return SignupRefused(code, str(_LOCKED_REFUSALS[code]))


def _key_reused() -> ServiceError:
    return ServiceError("key_reused", _("This idempotency key was already used for another shift."))


def volunteer_of(user) -> Volunteer:
    """The user's volunteer profile; a plain account must register as a volunteer first."""
    volunteer = accounts_selectors.volunteer_of(user)
    if volunteer is None:
        raise SignupRefused(
            "not_volunteer", _("Please register as a volunteer (with your real name) first.")
        )
    return volunteer


def check_eligible(*, volunteer: Volunteer, shift: Shift, now: datetime) -> None:
    """Raise SignupRefused with a clear reason when the volunteer may not take this shift."""
    if shift.project.status != Project.Status.PUBLISHED:
        raise _refused("not_open")
    early = _refusal_before_lock(volunteer=volunteer, shift=shift, now=now)
    if early is not None:
        raise early
    if not _in_named_teams(volunteer, shift.project):
        raise _refused("teams_only")
    if _overlapping_confirmed(volunteer.pk, shift):
        raise _refused("overlap")


def _refusal_before_lock(*, volunteer: Volunteer, shift: Shift, now: datetime):
    """The checks that need no lock (window, start, age): the first refusal, or None."""
    project = shift.project
    if now < project.recruit_start:
        return SignupRefused("window_not_open", _("Recruitment has not started yet."))
    if now >= project.recruit_end:
        return SignupRefused("window_closed", _("Recruitment for this project has closed."))
    if now >= shift.starts_at:
        return SignupRefused("shift_started", _("This shift has already started."))
    return _age_refusal(volunteer, project, timezone.localtime(shift.starts_at).date())


def _age_refusal(volunteer: Volunteer, project: Project, day) -> SignupRefused | None:
    if project.min_age is None and project.max_age is None:
        return None
    age = volunteer.age_on(day)
    if age is None:
        return SignupRefused(
            "age_unknown", _("This project has an age limit; add your birth date.")
        )
    if project.min_age is not None and age < project.min_age:
        return SignupRefused(
            "too_young",
            _("Volunteers must be at least %(age)s years old on the day of the shift.")
            % {"age": project.min_age},
        )
    if project.max_age is not None and age > project.max_age:
        return SignupRefused(
            "too_old",
            _("Volunteers must be at most %(age)s years old on the day of the shift.")
            % {"age": project.max_age},
        )
    return None


def _in_named_teams(volunteer: Volunteer, project: Project) -> bool:
    """True when the project names no teams, or the volunteer is an active member of one."""
    team_ids = list(project.teams_only.values_list("pk", flat=True))
    if not team_ids:
        return True
    return Membership.objects.filter(
        user_id=volunteer.user_id, organisation_id__in=team_ids, status=Membership.Status.ACTIVE
    ).exists()


# --- signing up ---------------------------------------------------------------------------


def signup_create(
    *,
    volunteer: Volunteer,
    shift: Shift,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Signup:
    """Give the volunteer a place, a waitlist place, or a pending one; a repeat answers the same.

    On PostgreSQL the steps run in one database function (one round trip, migration 0002);
    elsewhere in the ORM below. Both take the same steps in the same order, and the whole
    test suite runs on both databases.
    """
    now = now or timezone.now()
    key = (idempotency_key or "").strip()[:100] or None
    try:
        if connection.vendor == "postgresql":
            return _signup_in_one_call(volunteer, shift, key, now)
        with transaction.atomic():
            # Serialise this volunteer's signups: the repeat and overlap checks and the write
            # that follows cannot interleave with another signup of the same person.
            shift.project.status = _lock_for_signup(volunteer.pk, shift.project_id)
            repeat = _repeat(volunteer, shift, key)
            if repeat is not None:
                return repeat
            check_eligible(volunteer=volunteer, shift=shift, now=now)
            return _record_signup(volunteer, shift, key, now)
    except IntegrityError:
        # A concurrent duplicate won the unique constraint: answer with its signup.
        repeat = _repeat(volunteer, shift, key)
        if repeat is None:
            raise
        return repeat


def _repeat(volunteer: Volunteer, shift: Shift, key: str | None) -> Signup | None:
    if key:
        earlier = Signup.objects.filter(volunteer=volunteer, idempotency_key=key).first()
        if earlier is not None:
            if earlier.shift_id != shift.pk:
                raise _key_reused()
            return earlier
    return _live(volunteer, shift)


def _record_signup(volunteer: Volunteer, shift: Shift, key: str | None, now) -> Signup:
    project = shift.project
    if project.allocation == Project.Allocation.LOTTERY or project.review_required:
        status = S.PENDING  # no place yet: the organiser or the draw decides
    else:
        status = S.CONFIRMED if take_place(shift.pk) else S.WAITLISTED
    signup = Signup.objects.create(
        volunteer=volunteer, shift=shift, status=status, idempotency_key=key, created_at=now
    )
    audit_log(actor=volunteer.user, action="signup.created", target=signup, status=status)
    _tell_outcome(signup)
    return signup


_ATTEMPT = (
    f"SELECT r.outcome, {rows.columns(Signup, '(r.signup)')}"
    f" FROM signups_attempt({', '.join(['%s'] * 9)}, %s::text[], %s) r"
)


def _signup_in_one_call(volunteer: Volunteer, shift: Shift, key: str | None, now) -> Signup:
    """signup_create's steps in the database function `signups_attempt` (migration 0002).

    Lock, repeat, the checks that need the lock, the place, the signup, its audit entry and
    its notice are one statement, so one round trip and its own transaction. The checks that
    need no lock run here first; the function reports them only after the repeat check, as
    the ORM path does. The three possible notices are written here, in the user's language.
    """
    early = _refusal_before_lock(volunteer=volunteer, shift=shift, now=now)
    notices, inbox = _outcome_notices(shift)
    row = rows.fetch_one(
        _ATTEMPT,
        [
            volunteer.pk,
            volunteer.user_id,
            shift.pk,
            shift.project_id,
            shift.starts_at,
            shift.ends_at,
            key,
            now,
            early is not None,
            notices,
            inbox,
        ],
    )
    outcome = row[0]
    if outcome == "early":
        raise early
    if outcome == "key_reused":
        raise _key_reused()
    if outcome in _LOCKED_REFUSALS:
        raise _refused(outcome)
    signup = rows.instance(Signup, row[1:])
    signup.volunteer, signup.shift = volunteer, shift
    return signup


# The three notices a signup of a shift may send, and the inbox link, as
# `_signup_in_one_call` passes them: built once per shift, language, time zone and site. A
# burst at one hot shift asks for the same texts thousands of times, and building them
# (four translations, the shift's local time, a reverse()) was ~8 % of a signup's CPU.
# They are kept as PostgreSQL's text of the array, which the statement casts: psycopg
# adapting the nested list afresh for every call was another 5 % (valgrind's count).
def _outcome_notices(shift: Shift) -> tuple[str, str]:
    """[kind, title, body] per outcome (confirmed, waitlisted, pending), as the text of a
    PostgreSQL text[][], and the link."""
    project = shift.project
    context = (get_language(), timezone.get_current_timezone_name(), get_script_prefix())
    return _notices_for((*context, shift.starts_at, project.title, project.allocation), shift)


@lru_cache(maxsize=4096)
def _notices_for(depends_on: tuple, shift: Shift) -> tuple[str, str]:
    """Built from `shift` on a miss; `depends_on` and the shift's pk are all they vary by."""
    what = str(shift)
    notices = []
    for status in (S.CONFIRMED, S.WAITLISTED, S.PENDING):
        kind, title, body = _outcome_notice(shift, status, what)
        notices.append([kind, title[:TITLE_LENGTH], body])
    return _array_text(notices), reverse("signups:mine")


def _array_text(values: list[list[str]]) -> str:
    """PostgreSQL's text form of an array, written by psycopg's own dumper."""
    return bytes(Transformer().get_dumper(values, PyFormat.TEXT).dump(values)).decode()


def _outcome_notice(shift: Shift, status: str, what: str | None = None) -> list[str]:
    """[kind, title, body] of the notice that tells a volunteer a signup's outcome; `what`
    is str(shift) ("title · start") when the caller has it already."""
    what = what or str(shift)
    if status == S.CONFIRMED:
        return ["signup.confirmed", _("Signup confirmed: %(what)s") % {"what": what}, ""]
    if status == S.WAITLISTED:
        return [
            "signup.waitlisted",
            _("On the waitlist: %(what)s") % {"what": what},
            _("The shift is full. You will get the first free place and be told."),
        ]
    if shift.project.allocation == Project.Allocation.LOTTERY:
        return [
            "signup.lottery_entered",
            _("Entered in the draw: %(what)s") % {"what": what},
            _("Places are drawn by lot after recruitment closes."),
        ]
    return [
        "signup.pending",
        _("Waiting for the organiser's approval: %(what)s") % {"what": what},
        "",
    ]


def _tell_outcome(signup: Signup) -> None:
    kind, title, body = _outcome_notice(signup.shift, signup.status)
    _tell(signup, kind, title, body)


# --- cancelling and the waitlist --------------------------------------------------------------


def cancel_deadline(shift: Shift) -> datetime:
    return shift.starts_at - timedelta(hours=shift.project.cancel_hours_before)


def volunteer_may_cancel(signup: Signup, now: datetime) -> bool:
    """The volunteer's own cancel is still open: the signup is live and the deadline ahead."""
    return signup.is_live and now < cancel_deadline(signup.shift)


def signup_cancel(
    *, actor, signup: Signup, reason: str = "", now: datetime | None = None
) -> Signup:
    """Cancel a signup (the volunteer until the deadline, organisers any time); promote."""
    now = now or timezone.now()
    if not permissions.can_cancel_signup(actor, signup):
        raise NotAllowed("forbidden", _("You may not cancel this signup."))
    by_volunteer = signup.volunteer.user_id == actor.pk
    with transaction.atomic():
        signup = _locked(signup)
        if not signup.is_live:
            return signup  # cancelling twice changes nothing
        shift = signup.shift
        if by_volunteer and now >= cancel_deadline(shift):
            raise ServiceError(
                "too_late",
                _("Signups for this shift can no longer be cancelled (deadline %(when)s).")
                % {"when": _at(cancel_deadline(shift))},
            )
        held_place = _close(signup, S.CANCELLED, actor=actor, now=now, reason=reason)
        audit_log(actor=actor, action="signup.cancelled", target=signup, by_volunteer=by_volunteer)
        if not by_volunteer:
            _tell(
                signup,
                "signup.cancelled",
                _("Your signup was cancelled by the organiser: %(what)s") % {"what": shift},
                reason,
            )
        if held_place:
            _free_place(shift, actor=actor, now=now)
    return signup


def _close(signup: Signup, status: str, *, actor, now, reason: str = "") -> bool:
    """End a live signup; True when it held a place (the caller frees it, after telling)."""
    held_place = signup.status == S.CONFIRMED
    signup.status = status
    signup.decided_at = now
    signup.decided_by = _user_or_none(actor)
    signup.reason = (reason or "")[:300]
    signup.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    return held_place


def promote_waitlisted(*, shift: Shift, actor=None, now=None) -> list[Signup]:
    """Fill free places from the waitlist in order (draw rank, then first come)."""
    now = now or timezone.now()
    promoted: list[Signup] = []
    if shift.project.status != Project.Status.PUBLISHED:
        return promoted
    queue = (
        Signup.objects.filter(shift=shift, status=S.WAITLISTED)
        .select_related("volunteer__user")
        .order_by(F("draw_rank").asc(nulls_last=True), "created_at", "id")
    )
    for candidate in queue.iterator(chunk_size=100):
        if not _promotable(candidate, shift):
            continue
        if not take_place(shift.pk):
            break  # full again
        candidate.status = S.CONFIRMED
        candidate.decided_at = now
        candidate.save(update_fields=["status", "decided_at"])
        audit_log(actor=actor, action="signup.promoted", target=candidate)
        _tell(
            candidate,
            "signup.promoted",
            _("A place came free, you are confirmed: %(what)s") % {"what": shift},
        )
        promoted.append(candidate)
    return promoted


def _promotable(candidate: Signup, shift: Shift) -> bool:
    # SKIP LOCKED: a volunteer busy signing up elsewhere is passed over rather than waited
    # for, so a promotion never joins a lock cycle with that signup.
    locked = (
        Volunteer.objects.select_for_update(skip_locked=True)
        .filter(pk=candidate.volunteer_id)
        .exists()
    )
    return locked and not _overlapping_confirmed(candidate.volunteer_id, shift)


# --- organiser decisions ------------------------------------------------------------------


def signup_approve(*, actor, signup: Signup, now: datetime | None = None) -> Signup:
    """Approve a pending signup: a place if one is free, else the waitlist."""
    now = now or timezone.now()
    require_allowed(permissions.can_decide_signups(actor, signup.shift.project))
    with transaction.atomic():
        _lock_volunteer(signup.volunteer_id)
        signup = _locked(signup)
        if signup.status != S.PENDING:
            raise ServiceError("not_pending", _("Only pending signups can be approved."))
        if _overlapping_confirmed(signup.volunteer_id, signup.shift):
            raise ServiceError(
                "overlap", _("This volunteer is confirmed on another shift at the same time.")
            )
        status = S.CONFIRMED if take_place(signup.shift_id) else S.WAITLISTED
        signup.status, signup.decided_at, signup.decided_by = status, now, actor
        signup.save(update_fields=["status", "decided_at", "decided_by"])
        audit_log(actor=actor, action="signup.approved", target=signup, status=status)
        _tell_outcome(signup)
    return signup


def signup_reject(*, actor, signup: Signup, reason: str, now: datetime | None = None) -> Signup:
    """Reject a signup with a reason the volunteer is told; a freed place goes to the waitlist."""
    now = now or timezone.now()
    require_allowed(permissions.can_decide_signups(actor, signup.shift.project))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Please give a reason."), field="reason")
    with transaction.atomic():
        signup = _locked(signup)
        if not signup.is_live:
            raise ServiceError("not_live", _("This signup is already closed."))
        held_place = _close(signup, S.REJECTED, actor=actor, now=now, reason=reason)
        audit_log(actor=actor, action="signup.rejected", target=signup, reason=reason)
        _tell(
            signup,
            "signup.rejected",
            _("Signup not accepted: %(what)s") % {"what": signup.shift},
            _("Reason: %(reason)s") % {"reason": reason},
        )
        if held_place:
            _free_place(signup.shift, actor=actor, now=now)
    return signup


def signup_move(*, actor, signup: Signup, target: Shift, now: datetime | None = None) -> Signup:
    """Move a volunteer to another shift of the same project: a place there, or refused."""
    now = now or timezone.now()
    project = signup.shift.project
    require_allowed(permissions.can_decide_signups(actor, project))
    if target.project_id != project.pk or target.pk == signup.shift_id:
        raise ServiceError(
            "bad_target", _("Choose another shift of the same project."), field="shift_id"
        )
    with transaction.atomic():
        _lock_volunteer(signup.volunteer_id)
        signup = _locked(signup)
        if not signup.is_live:
            raise ServiceError("not_live", _("This signup is already closed."))
        both = (
            Shift.objects.select_for_update(of=("self",))
            .select_related("project")
            .filter(pk__in=(signup.shift_id, target.pk))
            .order_by("pk")  # the lock order (the model's own ordering is by start time)
        )
        shifts = {s.pk: s for s in both}
        old, target = shifts[signup.shift_id], shifts[target.pk]
        _check_move(signup, target)
        status = held = signup.status
        if status == S.CONFIRMED and not take_place(target.pk):
            raise ServiceError("full", _("That shift is full."), field="shift_id")
        if status == S.WAITLISTED and take_place(target.pk):
            status = S.CONFIRMED
        signup.shift, signup.status, signup.decided_at, signup.decided_by = (
            target,
            status,
            now,
            actor,
        )
        signup.save(update_fields=["shift", "status", "decided_at", "decided_by"])
        audit_log(actor=actor, action="signup.moved", target=signup, from_shift=old.pk)
        _tell(
            signup,
            "signup.moved",
            _("The organiser moved you to another shift: %(what)s") % {"what": target},
        )
        if held == S.CONFIRMED:
            _free_place(old, actor=actor, now=now)
    return signup


def _check_move(signup: Signup, target: Shift) -> None:
    if Signup.objects.filter(
        volunteer_id=signup.volunteer_id, shift=target, status__in=Signup.LIVE
    ).exists():
        raise ServiceError(
            "already_there", _("This volunteer is already signed up for that shift.")
        )
    if signup.status in (S.CONFIRMED, S.WAITLISTED) and _overlapping_confirmed(
        signup.volunteer_id, target, excluding=signup.pk
    ):
        raise ServiceError(
            "overlap", _("This volunteer is confirmed on another shift at the same time.")
        )


def change_capacity(
    *, actor, shift: Shift, capacity: int | None, now: datetime | None = None
) -> Shift:
    """Set a shift's places (None: unlimited), never below the confirmed count; promote."""
    require_allowed(permissions.can_change_capacity(actor, shift.project))
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise ServiceError(
            "invalid",
            _("Places run from 0 to %(max)d; leave empty for unlimited.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    with transaction.atomic():
        fits = Q() if capacity is None else Q(taken__lte=capacity)
        changed = Shift.objects.filter(fits, pk=shift.pk).update(capacity=capacity)
        shift = Shift.objects.select_related("project").get(pk=shift.pk)
        if not changed:
            raise ServiceError(
                "below_taken",
                _("Places cannot be fewer than the %(n)s volunteers already confirmed.")
                % {"n": shift.taken},
                field="capacity",
            )
        audit_log(actor=actor, action="shift.capacity_changed", target=shift, capacity=capacity)
        promote_waitlisted(shift=shift, actor=actor, now=now)
        shift.refresh_from_db()
    return shift


CANCEL_BATCH = 10_000  # ids per UPDATE: well under SQLite's 32,766 query parameters
NOTICE_WHENS = 3  # shift times named in one volunteer's notice; more are shown as "…"
CANCEL_ATTEMPTS = 8  # tries to lock a busy project's shifts, ~1.3 s of pauses in all
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's answer to NOWAIT on a locked row


def project_cancel(*, actor, project: Project, reason: str = "", now=None) -> Project:
    """Cancel the project: every live signup ends, places are freed, everyone is told.

    A project may have thousands of signups, so this runs a fixed handful of statements
    whatever their number: the live signups are locked and read once, closed by one UPDATE
    (per 10,000), each volunteer gets one notice and each signup one audit entry, both by
    bulk inserts.

    Locks: the project, then its shifts with NOWAIT, then its live signups with SKIP LOCKED,
    so this never waits while holding a lock and cannot join a deadlock with the services
    above (which take volunteer, signup, then shift rows). A shift held by a request in
    flight makes the attempt start again after a short pause; a signup held at that instant
    is left to its request, and `taken` is recounted from the rows, so invariant 1 holds
    either way.
    """
    now = now or timezone.now()
    require_allowed(permissions.can_change_capacity(actor, project))
    reason = (reason or "").strip()[:300]
    for attempt in range(CANCEL_ATTEMPTS):
        try:
            with transaction.atomic():
                project, changed = _cancel_locked(actor, project, reason, now)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            sleep(0.01 * 2**attempt)
            continue
        if changed:
            list_changed()  # the project leaves the public list: its cached pages go
        return project
    raise ServiceError("busy", _("Please try again."))


def _cancel_locked(actor, project: Project, reason: str, now) -> tuple[Project, bool]:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == Project.Status.CANCELLED:
        return project, False
    # NOWAIT: held until commit, so no place is taken or given back on them meanwhile.
    list(
        Shift.objects.select_for_update(nowait=True)
        .filter(project=project)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    project.status, project.cancelled_at = Project.Status.CANCELLED, now
    project.save(update_fields=["status", "cancelled_at"])
    closing = list(
        Signup.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(shift__project=project, status__in=Signup.LIVE)
        .order_by("id")
        .values_list("id", "volunteer__user_id", "shift__starts_at")
    )
    ids = [signup_id for signup_id, _user, _start in closing]
    for start in range(0, len(ids), CANCEL_BATCH):
        Signup.objects.filter(pk__in=ids[start : start + CANCEL_BATCH]).update(
            status=S.CANCELLED, decided_at=now, decided_by=_user_or_none(actor), reason=reason
        )
    _recount_taken(project)
    told = _tell_project_cancelled(project, closing, reason)
    audit_log(
        actor=actor,
        action="project.cancelled",
        target=project,
        reason=reason,
        signups=len(ids),
        volunteers=told,
    )
    audit_log_many(
        actor=actor,
        action="signup.cancelled",
        model=Signup,
        ids=ids,
        project_cancelled=True,
        project=project.pk,
    )
    return project, True


def _recount_taken(project: Project) -> None:
    """Set each shift's `taken` to its confirmed count (invariant 1); the shifts are locked.

    Zero unless a signup was skipped as locked: it keeps its place until its own request
    ends, and that request then moves `taken` from this committed count.
    """
    confirmed = (
        Signup.objects.filter(shift=OuterRef("pk"), status=S.CONFIRMED)
        .order_by()
        .values("shift")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Shift.objects.filter(project=project).update(taken=Coalesce(Subquery(confirmed), 0))


def _tell_project_cancelled(project: Project, closing: list, reason: str) -> int:
    """One notice per volunteer, naming their shifts (the first few); how many were told."""
    starts_by_user: dict[int, list] = {}
    for _signup_id, user_id, starts_at in closing:
        starts_by_user.setdefault(user_id, []).append(starts_at)
    titles = {}
    for user_id, starts in starts_by_user.items():
        whens = [_at(start) for start in sorted(starts)]
        shown = "、".join(whens[:NOTICE_WHENS]) + ("…" if len(whens) > NOTICE_WHENS else "")
        titles[user_id] = _("Project cancelled: %(what)s") % {"what": f"{project.title} · {shown}"}
    notify_many(titles=titles, kind="project.cancelled", body=reason, url=reverse("signups:mine"))
    return len(titles)


# --- the lottery (抢报名) -------------------------------------------------------------------


def drawn_order(seed: str, shift_id: int, entry_ids: list[int]) -> list[int]:
    """The draw: a shuffle seeded by `seed:shift id` over the entries sorted by id."""
    order = sorted(entry_ids)
    random.Random(f"{seed}:{shift_id}").shuffle(order)
    return order


def draw_lottery(*, project: Project, seed: str | None = None, now=None) -> LotteryDraw:
    """Draw every shift of a lottery project once its window has closed. Safe to run twice."""
    now = now or timezone.now()
    if project.allocation != Project.Allocation.LOTTERY:
        raise ServiceError("not_lottery", _("This project does not allocate places by lot."))
    if now < project.recruit_end:
        raise ServiceError("too_early", _("The draw happens after recruitment closes."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        existing = LotteryDraw.objects.filter(project=project).first()
        if existing is not None:
            return existing
        seed = seed or secrets.token_hex(16)
        shifts = Shift.objects.filter(project=project).select_related("project").order_by("pk")
        summary = {"shifts": {str(s.pk): _draw_shift(s, seed, now) for s in shifts}}
        draw = LotteryDraw.objects.create(project=project, seed=seed, drawn_at=now, summary=summary)
        audit_log(actor=None, action="lottery.drawn", target=draw, seed=seed)
    return draw


def _draw_shift(shift: Shift, seed: str, now) -> dict:
    entries = {
        s.pk: s
        for s in Signup.objects.filter(shift=shift, status=S.PENDING).select_related(
            "volunteer__user"
        )
    }
    order = drawn_order(seed, shift.pk, list(entries))
    confirmed, full = 0, False
    for rank, signup_id in enumerate(order, start=1):
        signup = entries[signup_id]
        signup.shift = shift  # loaded once, for the notices
        won = False
        if not full:  # once full, the rest of the order is waitlisted without asking again
            _lock_volunteer(signup.volunteer_id)
            if not _overlapping_confirmed(signup.volunteer_id, shift):
                won = take_place(shift.pk)
                full = not won
        signup.status = S.CONFIRMED if won else S.WAITLISTED
        signup.draw_rank, signup.decided_at = rank, now
        signup.save(update_fields=["status", "draw_rank", "decided_at"])
        confirmed += won
        audit_log(actor=None, action="signup.drawn", target=signup, rank=rank, won=won)
        _tell_outcome(signup)
    return {"order": order, "places": shift.capacity, "confirmed": confirmed}


def verify_draw(draw: LotteryDraw) -> dict[str, bool]:
    """Re-run the draw from its seed: for each shift, does the order equal the stored one?"""
    result = {}
    for shift_id, stored in draw.summary.get("shifts", {}).items():
        recomputed = drawn_order(draw.seed, int(shift_id), list(stored["order"]))
        result[shift_id] = recomputed == stored["order"]
    return result


def run_due_draws(*, now=None) -> list[LotteryDraw]:
    """Draw every published lottery project whose window has closed and has no draw yet."""
    now = now or timezone.now()
    due = Project.objects.filter(
        allocation=Project.Allocation.LOTTERY,
        status=Project.Status.PUBLISHED,
        recruit_end__lte=now,
        lottery_draw__isnull=True,
    ).order_by("pk")
    return [draw_lottery(project=p, now=now) for p in due]
