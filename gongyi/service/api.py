"""API router of the hours ledger (mounted in gongyi/api.py at /api/v1/hours).

Thin: find the rows (404 for unknown ids, 403 for others' rows), call the same services as
the pages. Minutes are whole minutes; `hours` is the same figure in hours with one decimal.
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from gongyi import permissions
from gongyi.core.api_types import RowId, errors
from gongyi.service import selectors, services
from gongyi.service.forms import MAX_MINUTES
from gongyi.service.ledger import hours
from gongyi.service.models import HoursDeclaration, RecordDispute, ServiceRecord
from gongyi.signups.models import Signup
from gongyi.signups.services import volunteer_of

router = Router()


class RecordOut(Schema):
    id: int
    seq: int = Field(description="Position in the volunteer's hash chain (1, 2, 3 …).")
    volunteer_number: str
    activity: str = Field(description="活动名称")
    served_on: date = Field(description="日期")
    place: str = Field(description="地点")
    content: str = Field(description="服务内容")
    started_at: datetime | None
    ended_at: datetime | None
    minutes: int = Field(description="服务时间 in minutes, never above the shift's length.")
    hours: str = Field(description="The same in hours with one decimal, e.g. 2.5.")
    organisation_id: int
    organisation_name: str = Field(description="组织单位")
    project_id: int
    shift_id: int | None
    leader_name: str = Field(description="负责人")
    source: str = Field(description="attendance, declaration, entry or correction.")
    source_label: str
    recorded_by: str = Field(description="Who made the record (empty: the platform).")
    corrects_id: int | None = Field(description="The record this correction replaces.")
    effective: bool = Field(description="True when no correction replaces this record.")
    reason: str
    created_at: datetime
    prev_hash: str
    hash: str


class MineOut(Schema):
    total_minutes: int = Field(description="Sum of the effective records.")
    total_hours: str
    records: list[RecordOut] = Field(description="Every record, newest first.")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=300)


class DisputeIn(Schema):
    reason: str = Field(..., max_length=500)


class CorrectIn(Schema):
    minutes: int = Field(..., ge=0, le=MAX_MINUTES)
    reason: str = Field(..., max_length=300)


class DeclareIn(Schema):
    minutes: int = Field(..., ge=1, le=MAX_MINUTES)
    note: str = Field(..., max_length=300, description="What you did and why nothing was recorded.")


class DeclarationOut(Schema):
    id: int
    signup_id: int
    shift_id: int
    volunteer_number: str
    minutes: int
    hours: str
    note: str
    status: str
    status_label: str
    decision_reason: str
    record_id: int | None
    created_at: datetime
    decided_at: datetime | None


class DecideIn(Schema):
    accept: bool
    minutes: int | None = Field(None, ge=1, le=MAX_MINUTES, description="Default: declared.")
    reason: str = Field("", max_length=300, description="Needed to refuse.")


class ShiftRowOut(Schema):
    signup_id: int
    attendance_id: int | None
    volunteer_number: str
    name: str = Field(description="Full name: the shift's leaders only.")
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    minutes: int | None = Field(description="From check-in/out, capped at the shift's length.")
    state: str = Field(description="pending, incomplete, recorded, excluded, no_show, absent")
    record_id: int | None
    exclusion_reason: str


class ShiftHoursOut(Schema):
    shift_id: int
    project_id: int
    shift_minutes: int
    deadline: date = Field(description="The last day to confirm (10 working days).")
    overdue: bool = Field(description="Past the deadline: only the district admin may confirm.")
    rows: list[ShiftRowOut]
    declarations: list[DeclarationOut]


class ExcludeIn(Schema):
    attendance_id: RowId
    reason: str = Field(..., max_length=300)


class ConfirmIn(Schema):
    exclude: list[ExcludeIn] = Field(default_factory=list, max_length=10000)


class ConfirmOut(Schema):
    created: list[RecordOut]
    excluded: list[int] = Field(description="Attendance ids left out (with their reasons).")
    incomplete: list[int] = Field(description="Attendance ids not checked out: nothing yet.")
    late: bool


class AwaitingOut(Schema):
    shift_id: int
    project_id: int
    project_title: str
    organisation_id: int
    organisation_name: str
    starts_at: datetime
    ends_at: datetime
    attendances: int
    declarations: int
    deadline: date
    overdue: bool


class AwaitingQuery(Schema):
    org_id: RowId | None = None


class DisputeOut(Schema):
    id: int
    record_id: int
    volunteer_number: str
    organisation_id: int
    status: str = Field(description="open, answered, escalated or resolved")
    status_label: str
    reason: str
    created_at: datetime
    answer: str
    answered_at: datetime | None
    escalated_at: datetime | None
    resolution: str
    resolved_at: datetime | None
    correction_id: int | None


class DisputeQuery(Schema):
    status: RecordDispute.Status | None = None


class AnswerIn(Schema):
    answer: str = Field(..., max_length=1000)
    minutes: int | None = Field(None, ge=0, le=MAX_MINUTES, description="Correct to this.")


class ResolveIn(Schema):
    resolution: str = Field(..., max_length=1000)
    minutes: int | None = Field(None, ge=0, le=MAX_MINUTES, description="Correct to this.")


class EscalateIn(Schema):
    reason: str = Field("", max_length=300)


# --- shaping ----------------------------------------------------------------------------------


def record_out(record: ServiceRecord, *, effective: bool | None = None) -> dict:
    if effective is None:
        is_corrected = getattr(record, "is_corrected", None)
        effective = selectors.is_effective(record) if is_corrected is None else not is_corrected
    return {
        "id": record.pk,
        "seq": record.seq,
        "volunteer_number": record.volunteer.number,
        "activity": record.activity,
        "served_on": record.served_on,
        "place": record.place,
        "content": record.content,
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "minutes": record.minutes,
        "hours": record.hours,
        "organisation_id": record.organisation_id,
        "organisation_name": record.organisation.name,
        "project_id": record.project_id,
        "shift_id": record.shift_id,
        "leader_name": record.leader_name,
        "source": record.source,
        "source_label": str(record.get_source_display()),
        "recorded_by": selectors.person_label(record.recorded_by),
        "corrects_id": record.corrects_id,
        "effective": effective,
        "reason": record.reason,
        "created_at": record.created_at,
        "prev_hash": record.prev_hash,
        "hash": record.hash,
    }


def declaration_out(d: HoursDeclaration) -> dict:
    return {
        "id": d.pk,
        "signup_id": d.signup_id,
        "shift_id": d.signup.shift_id,
        "volunteer_number": d.volunteer.number,
        "minutes": d.minutes,
        "hours": d.hours,
        "note": d.note,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "decision_reason": d.decision_reason,
        "record_id": d.record_id,
        "created_at": d.created_at,
        "decided_at": d.decided_at,
    }


def dispute_out(d: RecordDispute) -> dict:
    return {
        "id": d.pk,
        "record_id": d.record_id,
        "volunteer_number": d.volunteer.number,
        "organisation_id": d.record.organisation_id,
        "status": d.status,
        "status_label": str(d.get_status_display()),
        "reason": d.reason,
        "created_at": d.created_at,
        "answer": d.answer,
        "answered_at": d.answered_at,
        "escalated_at": d.escalated_at,
        "resolution": d.resolution,
        "resolved_at": d.resolved_at,
        "correction_id": d.correction_id,
    }


def _record(request, record_id: int) -> ServiceRecord:
    return selectors.record_for(user=request.user, record_id=record_id)


def _dispute(request, dispute_id: int) -> RecordDispute:
    return selectors.dispute_for(user=request.user, dispute_id=dispute_id)


# --- volunteers -------------------------------------------------------------------------------


@router.get(
    "/mine",
    response={200: MineOut, **errors(400, 401)},
    summary="My service records and total hours",
)
def mine(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    total = selectors.total_minutes(volunteer)
    records = selectors.my_records(volunteer=volunteer).select_related("volunteer")
    return {
        "total_minutes": total,
        "total_hours": hours(total),
        "records": [record_out(r) for r in records],
    }


@router.get(
    "/records/{record_id}",
    response={200: RecordOut, **errors(401, 403, 404, 422)},
    summary="One service record (its volunteer, its organisation, the district)",
)
def get_record(request: HttpRequest, record_id: RowId):
    return record_out(_record(request, record_id))


@router.post(
    "/records/{record_id}/reject",
    response={200: RecordOut, **errors(400, 401, 403, 404, 422)},
    summary="Reject a record I did not serve (被志愿): a correction to 0 minutes",
)
def reject(request: HttpRequest, record_id: RowId, data: ReasonIn):
    record = _record(request, record_id)
    correction = services.record_reject(actor=request.user, record=record, reason=data.reason)
    return record_out(correction, effective=True)


@router.post(
    "/records/{record_id}/dispute",
    response={200: DisputeOut, **errors(400, 401, 403, 404, 422)},
    summary="Dispute one of my records (申诉)",
)
def open_dispute(request: HttpRequest, record_id: RowId, data: DisputeIn):
    record = _record(request, record_id)
    dispute = services.dispute_open(actor=request.user, record=record, reason=data.reason)
    return dispute_out(_dispute(request, dispute.pk))


@router.get(
    "/declarations",
    response={200: list[DeclarationOut], **errors(400, 401)},
    summary="My declared hours (补录) and their decisions",
)
def my_declarations(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    rows = selectors.my_declarations(volunteer=volunteer).select_related("volunteer")[:200]
    return [declaration_out(d) for d in rows]


@router.post(
    "/signups/{signup_id}/declare",
    response={200: DeclarationOut, **errors(400, 401, 403, 404, 422)},
    summary="Declare hours for a past shift I had a place on (补录); pending until confirmed",
)
def declare(request: HttpRequest, signup_id: RowId, data: DeclareIn):
    signup = get_object_or_404(Signup, pk=signup_id)
    declaration = services.declare_hours(
        actor=request.user, signup=signup, minutes=data.minutes, note=data.note
    )
    return declaration_out(declaration)


@router.get(
    "/disputes/mine",
    response={200: list[DisputeOut], **errors(400, 401)},
    summary="My disputes",
)
def my_disputes(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    rows = selectors.my_disputes(volunteer=volunteer).select_related("volunteer")[:200]
    return [dispute_out(d) for d in rows]


@router.post(
    "/disputes/{dispute_id}/accept",
    response={200: DisputeOut, **errors(400, 401, 403, 404, 422)},
    summary="Accept the organisation's answer to my dispute (resolves it)",
)
def accept(request: HttpRequest, dispute_id: RowId):
    dispute = services.dispute_accept(actor=request.user, dispute=_dispute(request, dispute_id))
    return dispute_out(dispute)


# --- leaders: a shift's hours, declarations, corrections ----------------------------------


@router.get(
    "/shifts/{shift_id}",
    response={200: ShiftHoursOut, **errors(401, 403, 404, 422)},
    summary="Preview a shift's hours: every confirmed signup with its minutes and state",
)
def shift_hours(request: HttpRequest, shift_id: RowId):
    shift = selectors.shift_for_hours(user=request.user, shift_id=shift_id)
    review = selectors.shift_review(shift=shift)
    rows = []
    for row in review.rows:
        attendance = row.attendance
        rows.append(
            {
                "signup_id": row.signup.pk,
                "attendance_id": attendance.pk if attendance else None,
                "volunteer_number": row.signup.volunteer.number,
                "name": row.signup.volunteer.real_name,
                "checked_in_at": attendance.checked_in_at if attendance else None,
                "checked_out_at": attendance.checked_out_at if attendance else None,
                "minutes": row.minutes,
                "state": row.state,
                "record_id": row.record.pk if row.record else None,
                "exclusion_reason": row.exclusion.reason if row.exclusion else "",
            }
        )
    return {
        "shift_id": shift.pk,
        "project_id": shift.project_id,
        "shift_minutes": shift.minutes,
        "deadline": review.deadline,
        "overdue": review.overdue,
        "rows": rows,
        "declarations": [declaration_out(d) for d in review.declarations],
    }


@router.post(
    "/shifts/{shift_id}/confirm",
    response={200: ConfirmOut, **errors(400, 401, 403, 404, 422)},
    summary="Confirm a shift's hours: one record per attendance, except those left out",
    description="Safe to repeat: attendances already recorded or left out are passed over. "
    "After the 10-working-day deadline only the district admin may confirm (403 `late`).",
)
def confirm(request: HttpRequest, shift_id: RowId, data: ConfirmIn):
    shift = selectors.shift_for_hours(user=request.user, shift_id=shift_id)
    exclude = {item.attendance_id: item.reason for item in data.exclude}
    result = services.confirm_shift_hours(actor=request.user, shift=shift, exclude=exclude)
    return {
        "created": [record_out(r, effective=True) for r in result.created],
        "excluded": [e.attendance_id for e in result.excluded],
        "incomplete": result.incomplete,
        "late": result.late,
    }


@router.post(
    "/declarations/{declaration_id}/decide",
    response={200: DeclarationOut, **errors(400, 401, 403, 404, 422)},
    summary="Confirm (a record is made) or refuse a volunteer's declared hours",
)
def decide(request: HttpRequest, declaration_id: RowId, data: DecideIn):
    declaration = selectors.declaration_for(user=request.user, declaration_id=declaration_id)
    declaration = services.decide_declaration(
        actor=request.user,
        declaration=declaration,
        accept=data.accept,
        minutes=data.minutes,
        reason=data.reason,
    )
    return declaration_out(declaration)


@router.post(
    "/records/{record_id}/correct",
    response={200: RecordOut, **errors(400, 401, 403, 404, 422)},
    summary="Correct a record: a new entry with new minutes, reason and author",
)
def correct(request: HttpRequest, record_id: RowId, data: CorrectIn):
    correction = services.record_correct(
        actor=request.user,
        record=_record(request, record_id),
        minutes=data.minutes,
        reason=data.reason,
    )
    return record_out(correction, effective=True)


@router.get(
    "/awaiting",
    response={200: list[AwaitingOut], **errors(401, 403, 404, 422)},
    summary="Shifts whose hours await confirmation, overdue ones flagged (organisers, district)",
)
def awaiting(request: HttpRequest, query: Query[AwaitingQuery]):
    permissions.require(permissions.handles_any_hours(request.user))
    org = None
    if query.org_id is not None:
        org = get_object_or_404(selectors.orgs_for_hours(request.user), pk=query.org_id)
    return [
        {
            "shift_id": row.shift.pk,
            "project_id": row.shift.project_id,
            "project_title": row.shift.project.title,
            "organisation_id": row.shift.project.organisation_id,
            "organisation_name": row.shift.project.organisation.name,
            "starts_at": row.shift.starts_at,
            "ends_at": row.shift.ends_at,
            "attendances": row.attendances,
            "declarations": row.declarations,
            "deadline": row.deadline,
            "overdue": row.overdue,
        }
        for row in selectors.awaiting_shifts(user=request.user, org=org)
    ]


# --- organisations and the district: disputes -------------------------------------------------


@router.get(
    "/disputes",
    response={200: list[DisputeOut], **errors(401, 403, 422)},
    summary="Disputes I handle (organisation leaders and admins, district admins)",
)
def disputes(request: HttpRequest, query: Query[DisputeQuery]):
    permissions.require(permissions.handles_any_hours(request.user))
    status = query.status.value if query.status else None
    rows = selectors.disputes_to_handle(user=request.user, status=status)[:200]
    return [dispute_out(d) for d in rows]


@router.get(
    "/disputes/{dispute_id}",
    response={200: DisputeOut, **errors(401, 403, 404, 422)},
    summary="One dispute",
)
def get_dispute(request: HttpRequest, dispute_id: RowId):
    return dispute_out(_dispute(request, dispute_id))


@router.post(
    "/disputes/{dispute_id}/answer",
    response={200: DisputeOut, **errors(400, 401, 403, 404, 422)},
    summary="Answer a dispute (the organisation), optionally correcting the minutes",
)
def answer(request: HttpRequest, dispute_id: RowId, data: AnswerIn):
    dispute = services.dispute_answer(
        actor=request.user,
        dispute=_dispute(request, dispute_id),
        answer=data.answer,
        minutes=data.minutes,
    )
    return dispute_out(dispute)


@router.post(
    "/disputes/{dispute_id}/escalate",
    response={200: DisputeOut, **errors(400, 401, 403, 404, 422)},
    summary="Hand a dispute to the district admin",
)
def escalate(request: HttpRequest, dispute_id: RowId, data: EscalateIn):
    dispute = services.dispute_escalate(
        actor=request.user, dispute=_dispute(request, dispute_id), reason=data.reason
    )
    return dispute_out(dispute)


@router.post(
    "/disputes/{dispute_id}/resolve",
    response={200: DisputeOut, **errors(400, 401, 403, 404, 422)},
    summary="Resolve a dispute (the district admin), optionally correcting the minutes",
)
def resolve(request: HttpRequest, dispute_id: RowId, data: ResolveIn):
    dispute = services.dispute_resolve(
        actor=request.user,
        dispute=_dispute(request, dispute_id),
        resolution=data.resolution,
        minutes=data.minutes,
    )
    return dispute_out(dispute)
