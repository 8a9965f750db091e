"""Writes of the hours ledger: confirming, declaring, correcting, rejecting, disputing.

Every record is appended by `append_locked` after locking the volunteer's row
(`SELECT … FOR UPDATE`), so one volunteer's appends queue and the chain stays one line:
seq = last seq + 1, prev_hash = last hash. Lock order, as in the signups app: volunteer rows
(primary-key order) → other rows. Nothing here updates or deletes a record; a correction is a
new record pointing at the one it replaces, and `record_corrected` is sent once it commits.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi import permissions
from gongyi.accounts.models import StaffRole, Volunteer
from gongyi.attendance.selectors import served_minutes
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.notices.services import notify
from gongyi.orgs.models import Membership
from gongyi.projects.models import Shift
from gongyi.service import selectors
from gongyi.service.ledger import GENESIS, hours
from gongyi.service.models import (
    HoursDeclaration,
    HoursExclusion,
    OverdueShift,
    RecordDispute,
    ServiceRecord,
)
from gongyi.service.signals import record_added, record_corrected
from gongyi.service.workdays import WorkCalendar
from gongyi.signups.models import Signup

SOURCE = ServiceRecord.Source
DECL = HoursDeclaration.Status
DISPUTE = RecordDispute.Status


class LateConfirmation(ServiceError):
    """The confirmation deadline has passed: only the district admin may confirm now."""

    status = 403


# --- small helpers ------------------------------------------------------------------------


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page may not be mounted in a partial build
        return ""


def _text(value: str, *, field_name: str, max_length: int, code: str = "reason_required") -> str:
    value = (value or "").strip()
    if not value:
        raise ServiceError(code, _("Please give a reason."), field=field_name)
    if len(value) > max_length:
        raise ServiceError(
            "too_long",
            _("At most %(n)s characters, please.") % {"n": max_length},
            field=field_name,
        )
    return value


def _check_minutes(minutes, shift: Shift | None, *, lowest: int = 0) -> int:
    """Whole minutes, never below `lowest`, never above the shift's length (invariant 4)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < lowest:
        raise ServiceError(
            "bad_minutes",
            _("Enter a whole number of minutes, at least %(n)s.") % {"n": lowest},
            field="minutes",
        )
    if shift is not None and minutes > shift.minutes:
        raise ServiceError(
            "above_shift_length",
            _("At most the shift's length: %(n)s minutes (%(h)s hours).")
            % {"n": shift.minutes, "h": hours(shift.minutes)},
            field="minutes",
        )
    return minutes


def _shift_label(shift: Shift) -> str:
    """`社区老人智能手机培训 · 2026-10-01 09:00`: the shift as notices name it."""
    return f"{shift.project.title} · {timezone.localtime(shift.starts_at):%Y-%m-%d %H:%M}"


def _org_people(org, roles=("admin", "leader")):
    memberships = Membership.objects.filter(
        organisation=org, status=Membership.Status.ACTIVE, role__in=roles
    ).select_related("user")
    return [m.user for m in memberships]


def _district_admins(org):
    roles = StaffRole.objects.filter(
        role=StaffRole.Role.DISTRICT_ADMIN, region_id=org.district_id
    ).select_related("user")
    return [r.user for r in roles]


def _tell(users, *, kind: str, title: str, body: str = "", url: str = "", skip=None) -> None:
    seen = set()
    for user in users:
        if user is None or user.pk in seen or (skip is not None and user.pk == skip.pk):
            continue
        seen.add(user.pk)
        notify(user=user, kind=kind, title=title, body=body, url=url)


def source_phrase(source: str) -> str:
    """From what a record was made, as the volunteer reads it."""
    return {
        SOURCE.ATTENDANCE: _("your check-in and check-out"),
        SOURCE.DECLARATION: _("your declaration (补录)"),
        SOURCE.ENTRY: _("an entry by the organisation"),
        SOURCE.CORRECTION: _("a correction"),
    }.get(source, source)


def _tell_record_made(record: ServiceRecord, actor) -> None:
    """Against 被志愿: every record made in a volunteer's name is told to them."""
    who = selectors.person_label(actor) or _("the platform")
    notify(
        user=record.volunteer.user,
        kind=f"record.{record.source}",
        title=_("Service hours recorded: %(activity)s %(day)s, %(hours)s hours")
        % {"activity": record.activity, "day": record.served_on, "hours": record.hours},
        body=_(
            "Made by %(who)s (%(org)s) from %(what)s. If you did not serve this, "
            "reject it on the record's page; if it is wrong, dispute it."
        )
        % {"who": who, "org": record.organisation.name, "what": source_phrase(record.source)},
        url=_url("service:record", record.pk),
    )


# --- appending to the ledger ------------------------------------------------------------------


def lock_volunteer(volunteer_id: int) -> None:
    """Queue this volunteer's appends: seq and prev_hash come from the true last record."""
    list(Volunteer.objects.select_for_update().filter(pk=volunteer_id).values_list("pk"))


def append_locked(*, volunteer: Volunteer, now: datetime, **fields) -> ServiceRecord:
    """Append one record to the volunteer's chain. The caller holds the volunteer's lock.
    Pass related rows as objects, not ids: the notices and the API read them from the record."""
    last = (
        ServiceRecord.objects.filter(volunteer_id=volunteer.pk)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    record = ServiceRecord(
        volunteer=volunteer, seq=seq, prev_hash=prev_hash, created_at=now, **fields
    )
    record.hash = record.compute_hash()
    record.save(force_insert=True)
    # Summaries above the ledger (growth) refresh once the record is really there.
    transaction.on_commit(lambda: record_added.send(sender=ServiceRecord, record=record))
    return record


def shift_content(shift: Shift) -> dict:
    """The fields of 志愿服务记录与证明出具办法 that come from the shift: what, when, where."""
    project, point = shift.project, shift.point
    category = project.category.name
    if project.subcategory_id:
        category = f"{category}/{project.subcategory.name}"
    content = f"{category}：{project.summary}" if project.summary else category
    place = f"{point.name}（{point.address}）" if point.address else point.name
    return {
        "project": project,
        "organisation": project.organisation,
        "shift": shift,
        "activity": project.title[:100],
        "served_on": timezone.localdate(shift.starts_at),
        "place": place[:200],
        "content": content[:300],
    }


def leader_name(actor, project) -> str:
    """负责人: the person who vouches for the hours (the confirming leader)."""
    return (selectors.person_label(actor) or project.contact_name)[:50]


def _has_original(signup_id: int) -> bool:
    return ServiceRecord.objects.filter(signup_id=signup_id, source__in=selectors.ORIGINAL).exists()


def _check_on_time(actor, org, deadline, now) -> bool:
    """True when late (and the actor may confirm late); raise when late and they may not."""
    if not selectors.is_past(deadline, now):
        return False
    if not permissions.can_confirm_late_hours(actor, org):
        raise LateConfirmation(
            "late",
            _(
                "The deadline (%(day)s, 10 working days) has passed: the district admin "
                "must confirm these hours now."
            )
            % {"day": deadline.isoformat()},
        )
    return True


# --- the leader confirms a shift's hours --------------------------------------------------------


@dataclass
class ConfirmResult:
    created: list[ServiceRecord] = field(default_factory=list)
    excluded: list[HoursExclusion] = field(default_factory=list)
    incomplete: list[int] = field(default_factory=list)  # attendance ids not checked out
    late: bool = False


def confirm_shift_hours(
    *,
    actor,
    shift: Shift,
    exclude: Mapping[int, str] | None = None,
    now: datetime | None = None,
) -> ConfirmResult:
    """One record per checked-in-and-out attendance of the shift, except those left out with
    a reason. Safe to repeat: what is recorded or excluded already is passed over."""
    now = now or timezone.now()
    shift = Shift.objects.select_related(
        "project__organisation", "project__category", "project__subcategory", "point"
    ).get(pk=shift.pk)
    project, org = shift.project, shift.project.organisation
    require_allowed(permissions.can_confirm_hours(actor, project))
    if shift.ends_at > now:
        raise ServiceError("not_ended", _("Hours can be confirmed once the shift has ended."))
    late = _check_on_time(actor, org, selectors.hours_deadline(shift), now)
    reasons = {
        int(k): _text(v, field_name="exclude", max_length=300) for k, v in (exclude or {}).items()
    }
    result = ConfirmResult(late=late)
    with transaction.atomic():
        pending = list(
            selectors.pending_attendances([shift.pk])
            .select_related("signup__volunteer__user")
            .order_by("signup__volunteer_id", "pk")
        )
        unknown = set(reasons) - {a.pk for a in pending}
        if unknown:
            raise ServiceError(
                "not_pending",
                _("Some of the volunteers to leave out are not waiting for confirmation."),
                field="exclude",
            )
        content = shift_content(shift)
        leader = leader_name(actor, project)
        for attendance in pending:
            attendance.signup.shift = shift
            lock_volunteer(attendance.signup.volunteer_id)
            # Re-read under the lock: a concurrent confirmation may have done this one.
            if not selectors.pending_attendances([shift.pk]).filter(pk=attendance.pk).exists():
                continue
            if attendance.pk in reasons:
                result.excluded.append(_exclude(actor, attendance, reasons[attendance.pk], now))
                continue
            minutes = served_minutes(attendance)  # capped at the shift's length
            if minutes is None:
                result.incomplete.append(attendance.pk)
                continue
            record = append_locked(
                volunteer=attendance.signup.volunteer,
                now=now,
                **content,
                signup=attendance.signup,
                attendance=attendance,
                started_at=attendance.checked_in_at,
                ended_at=attendance.checked_out_at,
                minutes=minutes,
                leader_name=leader,
                source=SOURCE.ATTENDANCE,
                recorded_by=actor,
            )
            audit_log(actor=actor, action="record.created", target=record, source=record.source)
            _tell_record_made(record, actor)
            result.created.append(record)
        if result.created or result.excluded:  # a repeat that finds nothing leaves no trace
            audit_log(
                actor=actor,
                action="hours.confirmed",
                target=shift,
                created=len(result.created),
                excluded=len(result.excluded),
                late=late,
            )
    return result


def _exclude(actor, attendance, reason: str, now) -> HoursExclusion:
    exclusion = HoursExclusion.objects.create(
        attendance=attendance, reason=reason, excluded_by=actor, excluded_at=now
    )
    audit_log(actor=actor, action="hours.excluded", target=attendance, reason=reason)
    notify(
        user=attendance.signup.volunteer.user,
        kind="hours.excluded",
        title=_("No hours recorded for %(what)s") % {"what": _shift_label(attendance.signup.shift)},
        body=_("The leader left this shift out of the confirmed hours: %(reason)s")
        % {"reason": reason},
        url=_url("service:mine"),
    )
    return exclusion


# --- declarations (补录) ------------------------------------------------------------------------


def declare_hours(
    *, actor, signup: Signup, minutes: int, note: str, now: datetime | None = None
) -> HoursDeclaration:
    """The volunteer declares hours for a past shift they had a place on; pending until the
    leader confirms."""
    now = now or timezone.now()
    signup = Signup.objects.select_related(
        "volunteer__user", "shift__project__organisation", "shift__point"
    ).get(pk=signup.pk)
    require_allowed(permissions.can_declare_hours(actor, signup))
    shift = signup.shift
    if signup.status != Signup.Status.CONFIRMED:
        raise ServiceError(
            "not_confirmed", _("You can declare hours only for shifts you had a place on.")
        )
    if shift.ends_at > now:
        raise ServiceError("not_ended", _("You can declare hours once the shift has ended."))
    minutes = _check_minutes(minutes, shift, lowest=1)
    note = _text(note, field_name="note", max_length=300, code="note_required")
    with transaction.atomic():
        lock_volunteer(signup.volunteer_id)
        _check_declarable(signup)
        declaration = HoursDeclaration.objects.create(
            signup=signup, volunteer=signup.volunteer, minutes=minutes, note=note, created_at=now
        )
        audit_log(actor=actor, action="declaration.created", target=declaration, minutes=minutes)
        project = shift.project
        _tell(
            _org_people(project.organisation),
            kind="declaration.created",
            title=_("Hours declared for %(what)s") % {"what": _shift_label(shift)},
            body=_("%(name)s declared %(hours)s hours: %(note)s")
            % {"name": signup.volunteer.real_name, "hours": hours(minutes), "note": note},
            url=_url("service:shift", shift.pk),
            skip=actor,
        )
    return declaration


def _check_declarable(signup: Signup) -> None:
    if _has_original(signup.pk):
        raise ServiceError(
            "already_recorded",
            _("Hours for this shift are already recorded; dispute the record if it is wrong."),
        )
    if HoursDeclaration.objects.filter(signup=signup, status=DECL.PENDING).exists():
        raise ServiceError("already_declared", _("You have already declared hours for this shift."))
    waiting = selectors.pending_attendances([signup.shift_id]).filter(
        signup=signup, checked_out_at__isnull=False
    )
    if waiting.exists():
        raise ServiceError(
            "awaiting_confirmation",
            _("Your check-in and check-out are waiting for the leader's confirmation."),
        )


def decide_declaration(
    *,
    actor,
    declaration: HoursDeclaration,
    accept: bool,
    minutes: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> HoursDeclaration:
    """The leader confirms a declaration (a record, source declaration) or refuses it."""
    now = now or timezone.now()
    signup = Signup.objects.select_related(
        "volunteer__user",
        "shift__project__organisation",
        "shift__project__category",
        "shift__project__subcategory",
        "shift__point",
    ).get(pk=declaration.signup_id)
    shift, project = signup.shift, signup.shift.project
    require_allowed(permissions.can_confirm_hours(actor, project))
    if accept:
        minutes = _check_minutes(
            declaration.minutes if minutes is None else minutes, shift, lowest=1
        )
    else:
        reason = _text(reason, field_name="reason", max_length=300)
    with transaction.atomic():
        lock_volunteer(signup.volunteer_id)
        declaration = HoursDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if declaration.status != DECL.PENDING:
            raise ServiceError("already_decided", _("This declaration has already been decided."))
        late = _check_on_time(
            actor, project.organisation, selectors.declaration_deadline(declaration), now
        )
        declaration.decided_at, declaration.decided_by = now, actor
        if accept:
            if _has_original(signup.pk):
                raise ServiceError(
                    "already_recorded",
                    _("Hours for this shift are already recorded: refuse this declaration."),
                )
            record = append_locked(
                volunteer=signup.volunteer,
                now=now,
                **shift_content(shift),
                signup=signup,
                minutes=minutes,
                leader_name=leader_name(actor, project),
                source=SOURCE.DECLARATION,
                reason=declaration.note,
                recorded_by=actor,
            )
            declaration.status, declaration.record = DECL.CONFIRMED, record
            declaration.decision_reason = (reason or "").strip()[:300]
            audit_log(actor=actor, action="record.created", target=record, source=record.source)
            _tell_record_made(record, actor)
        else:
            declaration.status, declaration.decision_reason = DECL.REFUSED, reason
            notify(
                user=signup.volunteer.user,
                kind="declaration.refused",
                title=_("Declared hours not confirmed: %(what)s") % {"what": _shift_label(shift)},
                body=reason,
                url=_url("service:mine"),
            )
        declaration.save(
            update_fields=["status", "record", "decided_at", "decided_by", "decision_reason"]
        )
        audit_log(
            actor=actor,
            action=f"declaration.{declaration.status}",
            target=declaration,
            minutes=minutes if accept else None,
            late=late,
        )
    return declaration


# --- corrections and rejections ----------------------------------------------------------------


def _append_correction(
    *,
    actor,
    record: ServiceRecord,
    minutes: int,
    reason: str,
    now,
    action: str = "record.corrected",
    **audit,
) -> ServiceRecord:
    """Inside a transaction: lock, check the record is still effective, append, audit, and
    signal once committed."""
    lock_volunteer(record.volunteer_id)
    if ServiceRecord.objects.filter(corrects=record).exists():
        raise ServiceError(
            "already_corrected",
            _("This record has already been corrected; work on its latest entry."),
        )
    correction = append_locked(
        volunteer=record.volunteer,
        now=now,
        project_id=record.project_id,
        organisation=record.organisation,
        shift_id=record.shift_id,
        signup_id=record.signup_id,
        attendance_id=record.attendance_id,
        activity=record.activity,
        served_on=record.served_on,
        place=record.place,
        content=record.content,
        started_at=record.started_at,
        ended_at=record.ended_at,
        minutes=minutes,
        leader_name=record.leader_name,
        source=SOURCE.CORRECTION,
        corrects=record,
        reason=reason,
        recorded_by=actor,
    )
    audit_log(
        actor=actor,
        action=action,
        target=correction,
        corrects=record.pk,
        minutes_before=record.minutes,
        minutes=minutes,
        reason=reason,
        **audit,
    )
    transaction.on_commit(
        lambda: record_corrected.send(sender=ServiceRecord, record=record, correction=correction)
    )
    return correction


def _load(record: ServiceRecord) -> ServiceRecord:
    return ServiceRecord.objects.select_related(
        "volunteer__user", "organisation__district", "shift", "project"
    ).get(pk=record.pk)


def record_correct(
    *, actor, record: ServiceRecord, minutes: int, reason: str, now: datetime | None = None
) -> ServiceRecord:
    """A correction entry with new minutes (0 allowed), reason and author; the old stays."""
    now = now or timezone.now()
    record = _load(record)
    require_allowed(permissions.can_correct_record(actor, record))
    minutes = _check_minutes(minutes, record.shift)
    reason = _text(reason, field_name="reason", max_length=300)
    if minutes == record.minutes:
        raise ServiceError(
            "no_change",
            _("The record already has %(n)s minutes.") % {"n": minutes},
            field="minutes",
        )
    with transaction.atomic():
        correction = _append_correction(
            actor=actor, record=record, minutes=minutes, reason=reason, now=now
        )
        if record.volunteer.user_id != actor.pk:
            _tell_record_made(correction, actor)
    return correction


def record_reject(
    *, actor, record: ServiceRecord, reason: str, now: datetime | None = None
) -> ServiceRecord:
    """The volunteer says "I did not serve this" (被志愿): a correction to 0, by them."""
    now = now or timezone.now()
    record = _load(record)
    require_allowed(permissions.is_own_record(actor, record))
    reason = _text(reason, field_name="reason", max_length=300)
    if record.minutes == 0:
        raise ServiceError("nothing_to_reject", _("This record has no hours to reject."))
    with transaction.atomic():
        correction = _append_correction(
            actor=actor, record=record, minutes=0, reason=reason, now=now, action="record.rejected"
        )
        _tell(
            _org_people(record.organisation) + _district_admins(record.organisation),
            kind="record.rejected",
            title=_("A volunteer rejected a record: %(activity)s %(day)s")
            % {"activity": record.activity, "day": record.served_on},
            body=_("%(name)s says they did not serve this (%(hours)s hours): %(reason)s")
            % {"name": record.volunteer.real_name, "hours": record.hours, "reason": reason},
            url=_url("service:record", correction.pk),
        )
    return correction


# --- disputes (申诉) ----------------------------------------------------------------------------


def _dispute(dispute: RecordDispute, *, lock: bool = False) -> RecordDispute:
    rows = RecordDispute.objects.select_related(
        "volunteer__user",
        "record__volunteer",
        "record__organisation__district",
        "record__shift",
        "record__project",
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=dispute.pk)


def _require_status(dispute: RecordDispute, *statuses: str) -> None:
    if dispute.status not in statuses:
        raise ServiceError(
            "wrong_status",
            _("This dispute is %(status)s: that cannot be done now.")
            % {"status": dispute.get_status_display()},
        )


def dispute_open(
    *, actor, record: ServiceRecord, reason: str, now: datetime | None = None
) -> RecordDispute:
    """The volunteer disputes one of their records; the organisation is told."""
    now = now or timezone.now()
    record = _load(record)
    require_allowed(permissions.is_own_record(actor, record))
    reason = _text(reason, field_name="reason", max_length=500)
    with transaction.atomic():
        lock_volunteer(record.volunteer_id)
        if ServiceRecord.objects.filter(corrects=record).exists():
            raise ServiceError(
                "already_corrected",
                _("This record has already been corrected; work on its latest entry."),
            )
        if RecordDispute.objects.filter(
            record=record, status__in=RecordDispute.UNRESOLVED
        ).exists():
            raise ServiceError(
                "already_disputed", _("This record already has a dispute under way.")
            )
        dispute = RecordDispute.objects.create(
            record=record, volunteer=record.volunteer, reason=reason, created_at=now
        )
        audit_log(actor=actor, action="dispute.opened", target=dispute, record=record.pk)
        _tell(
            _org_people(record.organisation),
            kind="dispute.opened",
            title=_("A volunteer disputes a record: %(activity)s %(day)s")
            % {"activity": record.activity, "day": record.served_on},
            body=reason,
            url=_url("service:dispute", dispute.pk),
        )
    return dispute


def _settle(
    dispute: RecordDispute,
    *,
    actor,
    allowed: tuple[str, ...],
    minutes: int | None,
    why: str,
    now,
    **values,
) -> RecordDispute:
    """Inside a transaction: the answer or the resolution of a dispute in `allowed` status,
    with a correction of the record's latest entry when `minutes` changes it."""
    lock_volunteer(dispute.volunteer_id)
    dispute = _dispute(dispute, lock=True)
    _require_status(dispute, *allowed)
    head = selectors.head_of(dispute.record) if minutes is not None else None
    if head is not None and _check_minutes(minutes, head.shift) != head.minutes:
        values["correction"] = _append_correction(
            actor=actor, record=head, minutes=minutes, reason=why[:300], now=now, dispute=dispute.pk
        )
    for name, value in values.items():
        setattr(dispute, name, value)
    dispute.save(update_fields=list(values))
    audit_log(
        actor=actor,
        action=f"dispute.{dispute.status}",
        target=dispute,
        corrected="correction" in values,
    )
    return dispute


def dispute_answer(
    *,
    actor,
    dispute: RecordDispute,
    answer: str,
    minutes: int | None = None,
    now: datetime | None = None,
) -> RecordDispute:
    """The organisation answers, and may correct the record in the same step."""
    now = now or timezone.now()
    dispute = _dispute(dispute)
    require_allowed(permissions.can_answer_dispute(actor, dispute))
    answer = _text(answer, field_name="answer", max_length=1000, code="answer_required")
    with transaction.atomic():
        dispute = _settle(
            dispute,
            actor=actor,
            allowed=(DISPUTE.OPEN,),
            minutes=minutes,
            why=answer,
            now=now,
            status=DISPUTE.ANSWERED,
            answer=answer,
            answered_by=actor,
            answered_at=now,
        )
        notify(
            user=dispute.volunteer.user,
            kind="dispute.updated",
            title=_("Your dispute was answered: %(activity)s")
            % {"activity": dispute.record.activity},
            body=answer,
            url=_url("service:dispute", dispute.pk),
        )
    return dispute


def dispute_accept(*, actor, dispute: RecordDispute, now: datetime | None = None) -> RecordDispute:
    """The volunteer accepts the organisation's answer: the dispute is resolved."""
    now = now or timezone.now()
    dispute = _dispute(dispute)
    require_allowed(permissions.is_own_record(actor, dispute.record))
    with transaction.atomic():
        dispute = _dispute(dispute, lock=True)
        _require_status(dispute, DISPUTE.ANSWERED)
        dispute.status, dispute.resolved_by, dispute.resolved_at = DISPUTE.RESOLVED, actor, now
        dispute.resolution = _("The volunteer accepted the organisation's answer.")
        dispute.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
        audit_log(actor=actor, action="dispute.accepted", target=dispute)
    return dispute


def dispute_escalate(
    *, actor, dispute: RecordDispute, reason: str = "", now: datetime | None = None
) -> RecordDispute:
    """Hand the dispute to the district admin (the volunteer, the organisation or the
    district admin; the platform does it after 5 working days)."""
    now = now or timezone.now()
    dispute = _dispute(dispute)
    require_allowed(permissions.can_escalate_dispute(actor, dispute))
    with transaction.atomic():
        dispute = _dispute(dispute, lock=True)
        _require_status(dispute, DISPUTE.OPEN, DISPUTE.ANSWERED)
        _escalate(dispute, actor=actor, now=now, reason=(reason or "").strip()[:300])
    return dispute


def _escalate(dispute: RecordDispute, *, actor, now, reason: str = "") -> None:
    """`actor` None: the platform, after 5 working days."""
    dispute.status, dispute.escalated_at, dispute.escalated_by = DISPUTE.ESCALATED, now, actor
    dispute.save(update_fields=["status", "escalated_at", "escalated_by"])
    audit_log(actor=actor, action="dispute.escalated", target=dispute, reason=reason)
    record = dispute.record
    title = _("A dispute goes to the district: %(activity)s %(day)s") % {
        "activity": record.activity,
        "day": record.served_on,
    }
    url = _url("service:dispute", dispute.pk)
    body = reason or dispute.reason
    _tell(
        _district_admins(record.organisation),
        kind="dispute.escalated",
        title=title,
        body=body,
        url=url,
    )
    _tell(
        [dispute.volunteer.user, *_org_people(record.organisation)],
        kind="dispute.escalated",
        title=title,
        body=_("The district admin will resolve it."),
        url=url,
        skip=actor,
    )


def dispute_resolve(
    *,
    actor,
    dispute: RecordDispute,
    resolution: str,
    minutes: int | None = None,
    now: datetime | None = None,
) -> RecordDispute:
    """The district admin decides, and may correct the record in the same step."""
    now = now or timezone.now()
    dispute = _dispute(dispute)
    require_allowed(permissions.can_resolve_dispute(actor, dispute))
    resolution = _text(
        resolution, field_name="resolution", max_length=1000, code="resolution_required"
    )
    with transaction.atomic():
        dispute = _settle(
            dispute,
            actor=actor,
            allowed=RecordDispute.UNRESOLVED,
            minutes=minutes,
            why=resolution,
            now=now,
            status=DISPUTE.RESOLVED,
            resolution=resolution,
            resolved_by=actor,
            resolved_at=now,
        )
        _tell(
            [dispute.volunteer.user, *_org_people(dispute.record.organisation)],
            kind="dispute.resolved",
            title=_("Dispute resolved by the district: %(activity)s")
            % {"activity": dispute.record.activity},
            body=resolution,
            url=_url("service:dispute", dispute.pk),
            skip=actor,
        )
    return dispute


# --- deadlines: background work (safe to run twice) ---------------------------------------------


def flag_overdue_hours(*, now: datetime | None = None) -> int:
    """Flag, once, every shift (and declaration) whose hours were not confirmed within 10
    working days; tell the organisation's admins and its district admin. Returns how many."""
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    flagged = 0
    # 10 working days are at least 10 calendar days: older shifts only; and the daily run
    # has flagged anything older than a year long ago, so the scan stays bounded.
    cutoff = now - timedelta(days=selectors.CONFIRM_WITHIN_WORKING_DAYS)
    candidates = Shift.objects.filter(
        ends_at__lte=cutoff, ends_at__gte=now - timedelta(days=400), hours_overdue__isnull=True
    )
    waiting = (
        selectors.pending_attendances(candidates.values_list("pk", flat=True))
        .values_list("signup__shift_id", flat=True)
        .distinct()
    )
    for shift in Shift.objects.filter(pk__in=list(waiting)).select_related("project__organisation"):
        deadline = selectors.hours_deadline(shift, calendar)
        if selectors.is_past(deadline, now) and _flag_shift(shift, deadline, now):
            flagged += 1
    declarations = HoursDeclaration.objects.filter(
        status=DECL.PENDING, flagged_at__isnull=True, created_at__lte=cutoff
    ).select_related("signup__shift__project__organisation")
    for declaration in declarations:
        deadline = selectors.declaration_deadline(declaration, calendar)
        if selectors.is_past(deadline, now) and _flag_declaration(declaration, deadline, now):
            flagged += 1
    return flagged


def _flag_shift(shift: Shift, deadline, now) -> bool:
    with transaction.atomic():
        _flag, created = OverdueShift.objects.get_or_create(
            shift=shift, defaults={"deadline": deadline, "flagged_at": now}
        )
        if not created:
            return False
        audit_log(actor=None, action="hours.overdue", target=shift, deadline=deadline.isoformat())
        _tell_overdue(shift, deadline)
    return True


def _flag_declaration(declaration: HoursDeclaration, deadline, now) -> bool:
    with transaction.atomic():
        won = HoursDeclaration.objects.filter(pk=declaration.pk, flagged_at__isnull=True).update(
            flagged_at=now
        )
        if not won:
            return False
        audit_log(
            actor=None, action="declaration.overdue", target=declaration, deadline=str(deadline)
        )
        _tell_overdue(declaration.signup.shift, deadline)
    return True


def _tell_overdue(shift: Shift, deadline) -> None:
    org = shift.project.organisation
    _tell(
        _org_people(org, roles=("admin",)) + _district_admins(org),
        kind="hours.overdue",
        title=_("Hours not confirmed in time: %(what)s") % {"what": _shift_label(shift)},
        body=_(
            "%(org)s did not confirm these hours by %(day)s (10 working days). "
            "Only the district admin can confirm them now."
        )
        % {"org": org.name, "day": deadline.isoformat()},
        url=_url("service:shift", shift.pk),
    )


def escalate_disputes(*, now: datetime | None = None) -> int:
    """Send every dispute still unresolved 5 working days after it was opened to the district
    admin. Returns how many were escalated; a second run finds none."""
    now = now or timezone.now()
    calendar = WorkCalendar.load()
    cutoff = now - timedelta(days=selectors.ANSWER_WITHIN_WORKING_DAYS)
    candidates = RecordDispute.objects.filter(
        status__in=(DISPUTE.OPEN, DISPUTE.ANSWERED), created_at__lte=cutoff
    ).order_by("pk")
    escalated = 0
    for dispute in candidates:
        if not selectors.is_past(selectors.dispute_deadline(dispute, calendar), now):
            continue
        with transaction.atomic():
            dispute = _dispute(dispute, lock=True)
            if dispute.status not in (DISPUTE.OPEN, DISPUTE.ANSWERED):
                continue  # answered and accepted, or escalated, meanwhile
            _escalate(
                dispute,
                actor=None,
                now=now,
                reason=_("Not resolved within 5 working days."),
            )
            escalated += 1
    return escalated
