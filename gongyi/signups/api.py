"""API router of this app (mounted in gongyi/api.py at /api/v1/signups).

Thin: find the rows (404 for unknown ids), call the same services as the pages.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Header, Path, Query, Router, Schema

from gongyi import permissions
from gongyi.core.api_types import RowId, errors, file_answer
from gongyi.core.exports import table_response
from gongyi.projects.models import Shift
from gongyi.projects.services import MAX_CAPACITY
from gongyi.signups import selectors, services
from gongyi.signups.models import Signup

router = Router()

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SignupOut(Schema):
    id: int
    shift_id: int
    project_id: int
    project_number: str
    project_title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_label: str
    reason: str
    draw_rank: int | None
    created_at: datetime
    can_cancel: bool


class RosterEntry(Schema):
    id: int
    status: str
    status_label: str
    volunteer_number: str
    name: str = Field(description="Full name: organisers of the project only.")
    phone: str = Field(description="Full mobile number: organisers of the project only.")
    reason: str
    draw_rank: int | None
    created_at: datetime


class RosterOut(Schema):
    shift_id: int
    capacity: int | None
    taken: int
    entries: list[RosterEntry]


class SignupReasonIn(Schema):
    reason: str = Field("", max_length=300)


class MoveIn(Schema):
    shift_id: RowId


class CapacityIn(Schema):
    capacity: int | None = Field(None, ge=0, le=MAX_CAPACITY, description="Empty: unlimited.")


class ShiftPlacesOut(Schema):
    id: int
    capacity: int | None
    taken: int


class ProjectStatusOut(Schema):
    id: int
    number: str
    status: str


class DrawEntry(Schema):
    rank: int
    signup_id: int
    volunteer: str = Field(description="Masked name.")
    number: str = Field(description="Volunteer number (public id).")


class DrawShift(Schema):
    shift_id: int
    places: int | None
    confirmed: int
    verified: bool = Field(description="Re-running the draw from the seed gives this order.")
    order: list[DrawEntry]


class DrawOut(Schema):
    project_number: str
    drawn: bool
    seed: str | None
    drawn_at: datetime | None
    shifts: list[DrawShift]


class ExportQuery(Schema):
    format: Literal["csv", "xlsx"] = "csv"


def signup_out(signup: Signup, now=None) -> dict:
    now = now or timezone.now()
    shift = signup.shift
    return {
        "id": signup.pk,
        "shift_id": shift.pk,
        "project_id": shift.project_id,
        "project_number": shift.project.number,
        "project_title": shift.project.title,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "status": signup.status,
        "status_label": str(Signup.Status(signup.status).label),
        "reason": signup.reason,
        "draw_rank": signup.draw_rank,
        "created_at": signup.created_at,
        "can_cancel": services.volunteer_may_cancel(signup, now),
    }


def _signup(pk: int) -> Signup:
    return get_object_or_404(
        Signup.objects.select_related("shift__project__organisation", "volunteer"), pk=pk
    )


def _shift(pk: int) -> Shift:
    return get_object_or_404(Shift.objects.select_related("project__organisation"), pk=pk)


# --- volunteers -----------------------------------------------------------------------------


@router.post(
    "/shifts/{shift_id}",
    response={200: SignupOut, **errors(400, 401, 403, 404, 422)},
    summary="Sign up for a shift (one click)",
    description="Confirmed, waitlisted or pending. A repeat (same shift, or the same "
    "`Idempotency-Key` header) returns the same signup and changes nothing.",
)
def sign_up(
    request: HttpRequest,
    shift_id: RowId,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=100),
):
    shift = selectors.shift_to_sign_up(shift_id)
    volunteer = services.volunteer_of(request.user)
    signup = services.signup_create(
        volunteer=volunteer, shift=shift, idempotency_key=idempotency_key
    )
    # The burst's hottest answer: signup_out builds SignupOut's shape from our own rows, so
    # the API renders it without ninja validating it a second time (~5 % of the request's
    # CPU). tests/test_api.py holds it to the schema.
    from gongyi.api import api  # here: gongyi.api imports this module's router

    return api.create_response(request, signup_out(signup), status=200)


@router.post(
    "/{signup_id}/cancel",
    response={200: SignupOut, **errors(400, 401, 403, 404, 422)},
    summary="Cancel a signup",
)
def cancel(request: HttpRequest, signup_id: RowId, query: Query[SignupReasonIn]):
    """The volunteer until the project's deadline; organisers any time (with a reason)."""
    signup = _signup(signup_id)
    return signup_out(
        services.signup_cancel(actor=request.user, signup=signup, reason=query.reason)
    )


@router.get("/mine", response={200: list[SignupOut], **errors(400, 401)}, summary="My signups")
def mine(request: HttpRequest):
    volunteer = services.volunteer_of(request.user)
    now = timezone.now()
    return [signup_out(s, now) for s in selectors.my_signups(volunteer=volunteer)]


# --- organisers -----------------------------------------------------------------------------


@router.get(
    "/shifts/{shift_id}/roster",
    response={200: RosterOut, **errors(401, 403, 404, 422)},
    summary="A shift's roster (organisers)",
)
def roster(request: HttpRequest, shift_id: RowId):
    shift = selectors.shift_for_roster(user=request.user, shift_id=shift_id)
    entries = [
        {
            "id": s.pk,
            "status": s.status,
            "status_label": str(Signup.Status(s.status).label),
            "volunteer_number": s.volunteer.number,
            "name": s.volunteer.real_name,
            "phone": s.volunteer.user.phone,
            "reason": s.reason,
            "draw_rank": s.draw_rank,
            "created_at": s.created_at,
        }
        for s in selectors.roster(shift=shift)
    ]
    return {
        "shift_id": shift.pk,
        "capacity": shift.capacity,
        "taken": shift.taken,
        "entries": entries,
    }


@router.post(
    "/{signup_id}/approve",
    response={200: SignupOut, **errors(400, 401, 403, 404, 422)},
    summary="Approve",
)
def approve(request: HttpRequest, signup_id: RowId):
    return signup_out(services.signup_approve(actor=request.user, signup=_signup(signup_id)))


@router.post(
    "/{signup_id}/reject",
    response={200: SignupOut, **errors(400, 401, 403, 404, 422)},
    summary="Reject",
)
def reject(request: HttpRequest, signup_id: RowId, data: SignupReasonIn):
    signup = services.signup_reject(
        actor=request.user, signup=_signup(signup_id), reason=data.reason
    )
    return signup_out(signup)


@router.post(
    "/{signup_id}/move",
    response={200: SignupOut, **errors(400, 401, 403, 404, 422)},
    summary="Move to another shift",
)
def move(request: HttpRequest, signup_id: RowId, data: MoveIn):
    signup = _signup(signup_id)
    permissions.require(permissions.can_decide_signups(request.user, signup.shift.project))
    target = _shift(data.shift_id)
    return signup_out(services.signup_move(actor=request.user, signup=signup, target=target))


@router.post(
    "/shifts/{shift_id}/capacity",
    response={200: ShiftPlacesOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a shift's places (never below the confirmed count)",
)
def capacity(request: HttpRequest, shift_id: RowId, data: CapacityIn):
    shift = services.change_capacity(
        actor=request.user, shift=_shift(shift_id), capacity=data.capacity
    )
    return {"id": shift.pk, "capacity": shift.capacity, "taken": shift.taken}


@router.get(
    "/projects/{project_id}/export",
    response={200: None, **errors(401, 403, 404, 422)},
    summary="Export the project's roster as CSV (UTF-8 with BOM) or XLSX",
    openapi_extra=file_answer("text/csv", XLSX),
)
def export(request: HttpRequest, project_id: RowId, query: Query[ExportQuery]):
    project = selectors.project_for_organiser(user=request.user, project_id=project_id)
    return export_response(project, query.format)


def export_response(project, fmt: str) -> HttpResponse:
    rows = [[str(cell) for cell in row] for row in selectors.export_rows(project=project)]
    return table_response(rows, filename=f"roster-{project.number}", fmt=fmt)


@router.post(
    "/projects/{project_id}/cancel",
    response={200: ProjectStatusOut, **errors(400, 401, 403, 404, 422)},
    summary="Cancel the project: every signup ends and everyone is told",
)
def cancel_project(request: HttpRequest, project_id: RowId, data: SignupReasonIn):
    project = selectors.project_for_organiser(user=request.user, project_id=project_id)
    project = services.project_cancel(actor=request.user, project=project, reason=data.reason)
    return {"id": project.pk, "number": project.number, "status": project.status}


@router.post(
    "/projects/{project_id}/draw",
    response={200: DrawOut, **errors(400, 401, 403, 404, 422)},
    summary="Run the lottery draw now (after recruitment closes; once)",
)
def run_draw(request: HttpRequest, project_id: RowId):
    project = selectors.project_for_organiser(user=request.user, project_id=project_id)
    permissions.require(permissions.can_change_capacity(request.user, project))
    services.draw_lottery(project=project)
    return draw_out(project.number)


# --- public ---------------------------------------------------------------------------------


@router.get(
    "/draws/{number}",
    auth=None,
    response={200: DrawOut, **errors(404, 422)},
    summary="A lottery project's published draw: seed and order, re-verified",
)
def draw_info(request: HttpRequest, number: str = Path(..., max_length=32)):
    return draw_out(number)


def draw_out(number: str) -> dict:
    project, draw = selectors.draw_for(number=number)
    shifts = []
    if draw is not None:
        for row in selectors.draw_table(draw):
            shifts.append(
                {
                    "shift_id": row["shift_id"],
                    "places": row["places"],
                    "confirmed": row["confirmed"],
                    "verified": row["verified"],
                    "order": row["entries"],
                }
            )
    return {
        "project_number": project.number,
        "drawn": draw is not None,
        "seed": draw.seed if draw else None,
        "drawn_at": draw.drawn_at if draw else None,
        "shifts": shifts,
    }
