"""Reads of the hours ledger: for the pages and API of this app and for the apps above it.

For other apps (certificates, dashboard, growth, rankings, stats), exactly: `counting_records`,
`effective_records`, `total_minutes`, `hours`. Every figure is computed from the effective
records (invariant 5).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from gongyi import permissions
from gongyi.attendance.models import Attendance
from gongyi.attendance.selectors import attendance_of, served_minutes
from gongyi.orgs.models import Organisation
from gongyi.projects.models import Shift
from gongyi.service.ledger import hours
from gongyi.service.models import (
    HoursDeclaration,
    HoursExclusion,
    RecordDispute,
    ServiceRecord,
)
from gongyi.service.workdays import WorkCalendar
from gongyi.signups.models import Signup

__all__ = ["counting_records", "effective_records", "hours", "total_minutes"]

CONFIRM_WITHIN_WORKING_DAYS = 10  # 志愿服务记录与证明出具办法: records within 10 working days
ANSWER_WITHIN_WORKING_DAYS = 5  # a dispute unresolved this long goes to the district
ORIGINAL = (ServiceRecord.Source.ATTENDANCE, ServiceRecord.Source.DECLARATION)


# --- for other apps ---------------------------------------------------------------------------


def counting_records() -> QuerySet[ServiceRecord]:
    """Every record that counts: no correction points at it and it has minutes (unordered,
    for sums over many volunteers)."""
    return ServiceRecord.objects.filter(minutes__gt=0, corrections__isnull=True)


def effective_records(
    volunteer,
    *,
    start: date | None = None,
    end: date | None = None,
    project_ids=None,
) -> QuerySet[ServiceRecord]:
    """The volunteer's records that count (`counting_records`), in ledger order."""
    records = counting_records().filter(volunteer=volunteer)
    if start is not None:
        records = records.filter(served_on__gte=start)
    if end is not None:
        records = records.filter(served_on__lte=end)
    if project_ids is not None:
        records = records.filter(project_id__in=list(project_ids))
    return records.select_related("project", "organisation").order_by("served_on", "seq")


def total_minutes(volunteer) -> int:
    """The sum of the volunteer's effective records (what every total shown derives from)."""
    found = effective_records(volunteer).order_by().aggregate(total=Sum("minutes"))["total"]
    return found or 0


# --- deadlines --------------------------------------------------------------------------------


def _working_days_after(moment: datetime, n: int, calendar: WorkCalendar | None) -> date:
    """The n-th working day after the (local) day of `moment`."""
    calendar = calendar or WorkCalendar.load()
    return calendar.add_working_days(timezone.localdate(moment), n)


def hours_deadline(shift: Shift, calendar: WorkCalendar | None = None) -> date:
    """The last day to confirm a shift's hours: 10 working days after the day it ended."""
    return _working_days_after(shift.ends_at, CONFIRM_WITHIN_WORKING_DAYS, calendar)


def declaration_deadline(declaration, calendar: WorkCalendar | None = None) -> date:
    return _working_days_after(declaration.created_at, CONFIRM_WITHIN_WORKING_DAYS, calendar)


def dispute_deadline(dispute, calendar: WorkCalendar | None = None) -> date:
    return _working_days_after(dispute.created_at, ANSWER_WITHIN_WORKING_DAYS, calendar)


def is_past(deadline: date, now: datetime | None = None) -> bool:
    """A deadline day counts whole: it has passed from the next day on (local time)."""
    return timezone.localdate(now or timezone.now()) > deadline


# --- what awaits confirmation ------------------------------------------------------------------


def has_original_record(signup_ref) -> Exists:
    return Exists(ServiceRecord.objects.filter(signup_id=signup_ref, source__in=ORIGINAL))


def pending_attendances(shift_ids) -> QuerySet[Attendance]:
    """Attendances that need the leader: checked in (not a no-show), no record, not excluded.
    `shift_ids`: a list, or a values_list queryset (which stays a subquery)."""
    return (
        Attendance.objects.filter(
            signup__shift_id__in=shift_ids, no_show=False, checked_in_at__isnull=False
        )
        .filter(~Exists(HoursExclusion.objects.filter(attendance_id=OuterRef("pk"))))
        .filter(~has_original_record(OuterRef("signup_id")))
    )


def pending_declarations(shift_ids) -> QuerySet[HoursDeclaration]:
    return HoursDeclaration.objects.filter(
        signup__shift_id__in=shift_ids, status=HoursDeclaration.Status.PENDING
    )


@dataclass
class ShiftRow:
    """One confirmed signup on the leader's confirm page."""

    signup: Signup
    attendance: Attendance | None
    minutes: int | None  # what check-in/out gives, capped at the shift's length
    state: str  # pending, incomplete, recorded, excluded, no_show, absent
    record: ServiceRecord | None = None
    exclusion: HoursExclusion | None = None
    declaration: HoursDeclaration | None = None

    @property
    def hours(self) -> str:
        return hours(self.minutes)


@dataclass
class ShiftReview:
    shift: Shift
    rows: list[ShiftRow]
    deadline: date
    overdue: bool
    declarations: list[HoursDeclaration] = field(default_factory=list)

    @property
    def pending(self) -> list[ShiftRow]:
        return [r for r in self.rows if r.state == "pending"]

    @property
    def incomplete(self) -> list[ShiftRow]:
        return [r for r in self.rows if r.state == "incomplete"]


def shift_for_hours(*, user, shift_id: int) -> Shift:
    """The shift, if the user may confirm its hours (404 for unknown, 403 for others)."""
    shift = get_object_or_404(
        Shift.objects.select_related(
            "project__organisation__district", "project__category", "project__subcategory", "point"
        ),
        pk=shift_id,
    )
    permissions.require(permissions.can_confirm_hours(user, shift.project))
    return shift


def shift_review(*, shift: Shift, now: datetime | None = None) -> ShiftReview:
    """Every confirmed signup (and any with an attendance) with its minutes and its state."""
    signups = list(
        Signup.objects.filter(shift=shift)
        .filter(Q(status=Signup.Status.CONFIRMED) | Q(attendance__isnull=False))
        .select_related("volunteer__user", "attendance", "attendance__hours_exclusion")
        .order_by("volunteer__real_name", "id")
    )
    records = {
        r.signup_id: r
        for r in ServiceRecord.objects.filter(signup__shift=shift, source__in=ORIGINAL)
    }
    declarations = list(
        pending_declarations([shift.pk]).select_related("volunteer__user", "signup")
    )
    pending_by_signup = {d.signup_id: d for d in declarations}
    rows = []
    for signup in signups:
        signup.shift = shift  # served_minutes reads the shift's length
        attendance = attendance_of(signup)
        row = ShiftRow(signup=signup, attendance=attendance, minutes=None, state="absent")
        row.declaration = pending_by_signup.get(signup.pk)
        if attendance is not None:
            row.minutes = served_minutes(attendance)
        row.record = records.get(signup.pk)
        # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
        row.exclusion = getattr(attendance, "hours_exclusion", None)
        if row.record is not None:
            row.state = "recorded"
        elif row.exclusion is not None:
            row.state = "excluded"
        elif attendance is None:
            row.state = "absent"
        elif attendance.no_show:
            row.state = "no_show"
        elif row.minutes is None:
            row.state = "incomplete"
        else:
            row.state = "pending"
        rows.append(row)
    deadline = hours_deadline(shift)
    return ShiftReview(
        shift=shift,
        rows=rows,
        deadline=deadline,
        overdue=is_past(deadline, now),
        declarations=declarations,
    )


@dataclass
class AwaitingShift:
    shift: Shift
    attendances: int
    declarations: int
    deadline: date
    overdue: bool


def orgs_for_hours(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(permissions.hours_org_scope(user)).order_by("name")


def awaiting_shifts(
    *, user, org: Organisation | None = None, now: datetime | None = None, limit: int = 300
) -> list[AwaitingShift]:
    """Ended shifts with hours (or declarations) waiting, oldest deadline first, flagged."""
    now = now or timezone.now()
    orgs = orgs_for_hours(user)
    if org is not None:
        orgs = orgs.filter(pk=org.pk)
    ended = Shift.objects.filter(project__organisation__in=orgs, ends_at__lte=now)
    attendance_counts = dict(
        pending_attendances(ended.values_list("pk", flat=True))
        .values("signup__shift_id")
        .annotate(n=Count("pk"))
        .values_list("signup__shift_id", "n")
    )
    declaration_counts = dict(
        HoursDeclaration.objects.filter(
            status=HoursDeclaration.Status.PENDING, signup__shift__project__organisation__in=orgs
        )
        .values("signup__shift_id")
        .annotate(n=Count("pk"))
        .values_list("signup__shift_id", "n")
    )
    ids = set(attendance_counts) | set(declaration_counts)
    shifts = (
        Shift.objects.filter(pk__in=ids)
        .select_related("project__organisation", "point")
        .order_by("ends_at", "id")[:limit]
    )
    calendar = WorkCalendar.load()
    rows = []
    for shift in shifts:
        deadline = hours_deadline(shift, calendar)
        rows.append(
            AwaitingShift(
                shift=shift,
                attendances=attendance_counts.get(shift.pk, 0),
                declarations=declaration_counts.get(shift.pk, 0),
                deadline=deadline,
                overdue=is_past(deadline, now),
            )
        )
    rows.sort(key=lambda r: (not r.overdue, r.deadline, r.shift.pk))
    return rows


# --- a volunteer's records --------------------------------------------------------------------


def my_records(*, volunteer) -> QuerySet[ServiceRecord]:
    """All of the volunteer's records, newest first, each marked effective or corrected."""
    corrected = ServiceRecord.objects.filter(corrects_id=OuterRef("pk"))
    return (
        ServiceRecord.objects.filter(volunteer=volunteer)
        .annotate(is_corrected=Exists(corrected))
        .select_related("project", "organisation", "recorded_by__volunteer", "corrects")
        .order_by("-served_on", "-seq")
    )


def record_for(*, user, record_id: int) -> ServiceRecord:
    """The record, if the user may see it (404 for unknown, 403 for others)."""
    record = get_object_or_404(
        ServiceRecord.objects.select_related(
            "volunteer__user",
            "project",
            "organisation__district",
            "shift__point",
            "recorded_by__volunteer",
            "corrects",
        ),
        pk=record_id,
    )
    permissions.require(permissions.can_see_record(user, record))
    return record


def is_effective(record: ServiceRecord) -> bool:
    return not ServiceRecord.objects.filter(corrects=record).exists()


def chain_of(record: ServiceRecord) -> list[ServiceRecord]:
    """The record's correction chain, original first, latest (the effective one) last.

    A correction copies the volunteer, project and day of the record it corrects, so one
    query finds every link; the chain is then followed in memory.
    """
    kin = {
        r.pk: r
        for r in ServiceRecord.objects.filter(
            volunteer_id=record.volunteer_id,
            project_id=record.project_id,
            served_on=record.served_on,
        ).select_related("recorded_by")
    }
    kin[record.pk] = record
    first = record
    while first.corrects_id in kin:
        first = kin[first.corrects_id]
    correction = {r.corrects_id: r for r in kin.values() if r.corrects_id is not None}
    chain = [first]
    while chain[-1].pk in correction:
        chain.append(correction[chain[-1].pk])
    return chain


def head_of(record: ServiceRecord) -> ServiceRecord:
    """The effective (latest) entry of the record's correction chain."""
    return chain_of(record)[-1]


def declarable_signups(*, volunteer, now: datetime | None = None) -> list[Signup]:
    """Past shifts the volunteer had a place on with nothing recorded, waiting or declared."""
    now = now or timezone.now()
    waiting = pending_attendances(
        Signup.objects.filter(volunteer=volunteer).values_list("shift_id", flat=True)
    ).filter(checked_out_at__isnull=False)
    signups = (
        Signup.objects.filter(
            volunteer=volunteer,
            status=Signup.Status.CONFIRMED,
            shift__ends_at__lte=now,
            shift__ends_at__gte=now - timedelta(days=366),
        )
        .filter(~has_original_record(OuterRef("pk")))
        .exclude(hours_declarations__status=HoursDeclaration.Status.PENDING)
        .exclude(pk__in=waiting.values("signup_id"))
        .select_related("shift__project", "shift__point")
        .order_by("-shift__starts_at")
    )
    return list(signups[:50])


def my_declarations(*, volunteer) -> QuerySet[HoursDeclaration]:
    return (
        HoursDeclaration.objects.filter(volunteer=volunteer)
        .select_related("signup__shift__project", "decided_by", "record")
        .order_by("-created_at", "-id")
    )


def declaration_for(*, user, declaration_id: int) -> HoursDeclaration:
    declaration = get_object_or_404(
        HoursDeclaration.objects.select_related(
            "signup__shift__project__organisation__district", "volunteer__user"
        ),
        pk=declaration_id,
    )
    permissions.require(permissions.can_confirm_hours(user, declaration.signup.shift.project))
    return declaration


# --- disputes ---------------------------------------------------------------------------------


def my_disputes(*, volunteer) -> QuerySet[RecordDispute]:
    return (
        RecordDispute.objects.filter(volunteer=volunteer)
        .select_related("record__project", "record__organisation")
        .order_by("-created_at", "-id")
    )


def disputes_to_handle(*, user, status: str | None = None) -> QuerySet[RecordDispute]:
    """Disputes of the organisations the user handles; escalated first, then oldest first."""
    disputes = RecordDispute.objects.filter(
        record__organisation__in=Organisation.objects.filter(permissions.hours_org_scope(user))
    )
    if status:
        disputes = disputes.filter(status=status)
    urgency = Case(
        When(status=RecordDispute.Status.ESCALATED, then=Value(0)),
        When(status=RecordDispute.Status.OPEN, then=Value(1)),
        When(status=RecordDispute.Status.ANSWERED, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return disputes.select_related("record__project", "record__organisation", "volunteer").order_by(
        urgency, "created_at", "id"
    )


def dispute_for(*, user, dispute_id: int) -> RecordDispute:
    dispute = get_object_or_404(
        RecordDispute.objects.select_related(
            "record__volunteer__user",
            "record__project",
            "record__organisation__district",
            "volunteer__user",
            "answered_by",
            "resolved_by",
            "escalated_by",
            "correction",
        ),
        pk=dispute_id,
    )
    permissions.require(permissions.can_see_dispute(user, dispute))
    return dispute


def person_label(user) -> str:
    """How a record shows who made it: the real name of a volunteer, else the display name."""
    if user is None:
        return ""
    volunteer = getattr(user, "volunteer", None)  # None when the user has no profile
    if volunteer is not None and volunteer.real_name:
        return volunteer.real_name
    return str(user)
