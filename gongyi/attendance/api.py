"""API router of this app (mounted in gongyi/api.py at /api/v1/attendance).

Thin: find the rows (404 for unknown ids, 403 for people without the role), call the same
services as the pages.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from gongyi.attendance import selectors, services
from gongyi.attendance.models import Attendance, AttendancePolicy
from gongyi.core.api_types import RowId, errors
from gongyi.signups.models import Signup

router = Router()

Direction = Literal["in", "out"]
State = Literal["none", "in", "out", "no_show"]


class AttendanceOut(Schema):
    signup_id: int
    shift_id: int
    signup_status: str
    state: State = Field(description="none, in (checked in), out (checked out) or no_show.")
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    in_method: str = Field(description="qr, leader, or empty.")
    out_method: str
    in_distance_m: int | None = Field(description="Metres from the service point, if known.")
    out_distance_m: int | None
    no_show: bool
    reason: str = Field(description="The reason of the last leader entry or no-show.")
    served_minutes: int | None = Field(
        description="Whole minutes between check-in and check-out, at most the shift's length."
    )


class AttendanceRosterEntryOut(AttendanceOut):
    volunteer_number: str
    name: str = Field(description="Full name: the project's leaders only.")
    phone: str = Field(description="Full mobile number: the project's leaders only.")


class ShiftAttendanceOut(Schema):
    shift_id: int
    starts_at: datetime
    ends_at: datetime
    confirmed: int
    checked_in: int
    checked_out: int
    no_shows: int
    entries: list[AttendanceRosterEntryOut]


class AttendanceQrOut(Schema):
    shift_id: int
    direction: Direction
    token: str = Field(description="Signed; works in its 30-second window and the next one.")
    url: str = Field(description="The address the QR code holds (the scan page).")
    valid_until: datetime


class AttendanceQrQuery(Schema):
    direction: Direction = "in"


class AttendanceScanIn(Schema):
    token: str = Field(..., min_length=1, max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    longitude: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)


class AttendanceLeaderEntryIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)
    at: datetime | None = Field(
        None, description="When the volunteer arrived or left; empty: now. Never in the future."
    )


class NoShowIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class AttendancePolicyIn(Schema):
    geofence_required: bool
    radius_m: int = Field(500, ge=10, le=10_000)


class AttendancePolicyOut(Schema):
    project_id: int
    geofence_required: bool
    radius_m: int


def attendance_out(signup: Signup, attendance: Attendance | None) -> dict:
    att = attendance or Attendance(signup=signup)  # nothing recorded yet: state "none"
    return {
        "signup_id": signup.pk,
        "shift_id": signup.shift_id,
        "signup_status": signup.status,
        "state": att.state,
        "checked_in_at": att.checked_in_at,
        "checked_out_at": att.checked_out_at,
        "in_method": att.in_method,
        "out_method": att.out_method,
        "in_distance_m": att.in_distance_m,
        "out_distance_m": att.out_distance_m,
        "no_show": att.no_show,
        "reason": att.reason,
        "served_minutes": selectors.served_minutes(att),
    }


def _after(attendance: Attendance) -> dict:
    """The answer to a write: the services return the attendance with its locked signup."""
    return attendance_out(attendance.signup, attendance)


def _policy_out(policy: AttendancePolicy) -> dict:
    return {
        "project_id": policy.project_id,
        "geofence_required": policy.geofence_required,
        "radius_m": policy.radius_m,
    }


# --- leaders ------------------------------------------------------------------------------


@router.get(
    "/shifts/{shift_id}/qr",
    response={200: AttendanceQrOut, **errors(401, 403, 404, 422)},
    summary="The current check-in (or check-out) QR token of a shift (leaders)",
    description="A new token every 30 seconds; show it as a QR code of `url` and fetch it "
    "again about every 10 seconds.",
)
def qr(request: HttpRequest, shift_id: RowId, query: Query[AttendanceQrQuery]):
    shift = selectors.shift_for_leader(user=request.user, shift_id=shift_id)
    now = timezone.now()
    token = services.qr_token(shift=shift, direction=query.direction, now=now)
    return {
        "shift_id": shift.pk,
        "direction": query.direction,
        "token": token,
        "url": selectors.scan_url(request, token),
        "valid_until": services.window_ends(now),
    }


@router.get(
    "/shifts/{shift_id}",
    response={200: ShiftAttendanceOut, **errors(401, 403, 404, 422)},
    summary="A shift's check-in list (leaders)",
)
def shift_list(request: HttpRequest, shift_id: RowId):
    shift = selectors.shift_for_leader(user=request.user, shift_id=shift_id)
    counts = selectors.shift_counts(shift=shift)
    entries = []
    for signup in selectors.shift_signups(shift=shift):
        entry = attendance_out(signup, selectors.attendance_of(signup))
        entry.update(
            volunteer_number=signup.volunteer.number,
            name=signup.volunteer.real_name,
            phone=signup.volunteer.user.phone,
        )
        entries.append(entry)
    return {
        "shift_id": shift.pk,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "confirmed": counts.confirmed,
        "checked_in": counts.checked_in,
        "checked_out": counts.checked_out,
        "no_shows": counts.no_shows,
        "entries": entries,
    }


@router.post(
    "/signups/{signup_id}/check-in",
    response={200: AttendanceOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Check a volunteer in (leaders, with a reason)",
)
def leader_check_in(request: HttpRequest, signup_id: RowId, data: AttendanceLeaderEntryIn):
    signup = selectors.signup_for_leader(user=request.user, signup_id=signup_id)
    return _after(
        services.check_in_by_leader(
            actor=request.user, signup=signup, reason=data.reason, at=data.at
        )
    )


@router.post(
    "/signups/{signup_id}/check-out",
    response={200: AttendanceOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Check a volunteer out (leaders, with a reason)",
)
def leader_check_out(request: HttpRequest, signup_id: RowId, data: AttendanceLeaderEntryIn):
    signup = selectors.signup_for_leader(user=request.user, signup_id=signup_id)
    return _after(
        services.check_out_by_leader(
            actor=request.user, signup=signup, reason=data.reason, at=data.at
        )
    )


@router.post(
    "/signups/{signup_id}/no-show",
    response={200: AttendanceOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Mark a confirmed volunteer as a no-show (leaders, with a reason)",
)
def no_show(request: HttpRequest, signup_id: RowId, data: NoShowIn):
    signup = selectors.signup_for_leader(user=request.user, signup_id=signup_id)
    return _after(services.mark_no_show(actor=request.user, signup=signup, reason=data.reason))


@router.get(
    "/projects/{project_id}/policy",
    response={200: AttendancePolicyOut, **errors(401, 403, 404, 422)},
    summary="A project's check-in rules: on site only (geofence) and the radius (managers)",
)
def get_policy(request: HttpRequest, project_id: RowId):
    project = selectors.project_for_manager(user=request.user, project_id=project_id)
    return _policy_out(services.policy_for(project))


@router.put(
    "/projects/{project_id}/policy",
    response={200: AttendancePolicyOut, **errors(400, 401, 403, 404, 422)},
    summary="Set a project's check-in rules (managers)",
)
def put_policy(request: HttpRequest, project_id: RowId, data: AttendancePolicyIn):
    project = selectors.project_for_manager(user=request.user, project_id=project_id)
    policy = services.set_policy(
        actor=request.user,
        project=project,
        geofence_required=data.geofence_required,
        radius_m=data.radius_m,
    )
    return _policy_out(policy)


# --- volunteers ---------------------------------------------------------------------------


@router.post(
    "/scan",
    response={200: AttendanceOut, **errors(400, 401, 403, 409, 422)},
    summary="Check in or out with the token of the QR code on the leader's screen",
    description="The token says the shift and the direction. Send the phone's location when "
    "the project checks people in on site. Twice, or out without in, changes nothing (409).",
)
def scan(request: HttpRequest, data: AttendanceScanIn):
    attendance = services.scan(
        user=request.user, token=data.token, latitude=data.latitude, longitude=data.longitude
    )
    return _after(attendance)


@router.get(
    "/signups/{signup_id}",
    response={200: AttendanceOut, **errors(401, 403, 404, 422)},
    summary="The check-in record of a signup (the volunteer, or the project's leaders)",
)
def signup_attendance(request: HttpRequest, signup_id: RowId):
    signup = selectors.signup_for_viewer(user=request.user, signup_id=signup_id)
    return attendance_out(signup, selectors.attendance_of(signup))
