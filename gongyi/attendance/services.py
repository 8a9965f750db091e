"""Check-in and check-out (签到签退): rotating QR codes, the geofence, the leader's entries.

A volunteer checks in by scanning the QR code on the leader's screen. The code carries a
signed token `<shift id>.<in|out>.<window>` where the window is the 30-second slot it was
made in; the current and the previous window are accepted, so a photo of an old code stops
working after at most a minute. The token binds the shift and the direction: it cannot be
turned into another shift's code or a check-out.

Every write takes the signup's row lock first (then creates or updates its one Attendance),
so two check-ins of the same signup at the same moment give one Attendance and one answer
"already checked in" (the OneToOne constraint backs it up).

Time windows (documented here, shown to people in the messages):
- a volunteer checks in from CHECK_IN_OPENS_BEFORE before the start until the shift ends;
- checks out after checking in, until CHECK_OUT_CLOSES_AFTER after the end;
- a leader may enter either later with the real time (`at`) and a reason; a no-show can be
  marked once the shift has started.
"""

import math
from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi import permissions
from gongyi.attendance.models import Attendance, AttendancePolicy
from gongyi.attendance.signals import attendance_changed
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.notices.services import notify
from gongyi.projects.models import Project, Shift
from gongyi.signups.models import Signup
from gongyi.signups.services import volunteer_of

QR_WINDOW_SECONDS = 30  # the code on the leader's screen changes this often
QR_SALT = "gongyi.attendance.qr"
CHECK_IN_OPENS_BEFORE = timedelta(minutes=60)  # check-in opens an hour before the start
CHECK_OUT_CLOSES_AFTER = timedelta(hours=6)  # and check-out closes six hours after the end
DEFAULT_RADIUS_M = 500
EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
IN, OUT = "in", "out"
DIRECTIONS = (IN, OUT)

M = Attendance.Method


class AttendanceRefused(ServiceError):
    """The request cannot be carried out as asked (bad code, outside the window, too far)."""


class AttendanceConflict(ServiceError):
    """The attendance is not in a state that allows this (twice, out without in)."""

    status = 409


# --- small helpers ------------------------------------------------------------------------


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance in whole metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceRefused("reason_required", _("Please give a reason."), field="reason")
    if len(reason) > 300:
        raise AttendanceRefused(
            "reason_too_long", _("The reason may be at most 300 characters."), field="reason"
        )
    return reason


# --- the rotating QR token ------------------------------------------------------------------


def window_of(now: datetime) -> int:
    return int(now.timestamp()) // QR_WINDOW_SECONDS


def window_ends(now: datetime) -> datetime:
    """When the code made now stops working (the end of the next window)."""
    return datetime.fromtimestamp((window_of(now) + 2) * QR_WINDOW_SECONDS, tz=now.tzinfo)


def qr_token(*, shift: Shift, direction: str, now: datetime | None = None) -> str:
    """The signed token for this shift, direction and 30-second window."""
    if direction not in DIRECTIONS:
        raise AttendanceRefused("bad_direction", _("Choose check-in or check-out."))
    now = now or timezone.now()
    return signing.Signer(salt=QR_SALT).sign(f"{shift.pk}.{direction}.{window_of(now)}")


def read_qr_token(token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(shift id, direction) of a genuine, current token; else AttendanceRefused says why."""
    now = now or timezone.now()
    invalid = AttendanceRefused(
        "token_invalid",
        _("This is not a valid check-in code. Scan the code on the leader's screen."),
    )
    try:
        value = signing.Signer(salt=QR_SALT).unsign((token or "").strip())
        shift_id, direction, window = value.split(".")
        shift_id, window = int(shift_id), int(window)
    except (signing.BadSignature, ValueError):
        raise invalid from None
    if direction not in DIRECTIONS:
        raise invalid
    current = window_of(now)
    if window < current - 1:
        raise AttendanceRefused(
            "token_expired",
            _(
                "This code has expired: the codes change every 30 seconds. "
                "Scan the code on the leader's screen again."
            ),
        )
    if window > current:
        raise invalid  # made in the future: not by this server's clock
    return shift_id, direction


# --- the geofence ---------------------------------------------------------------------------


def policy_for(project: Project) -> AttendancePolicy:
    """The project's policy, or the default one (no geofence, 500 m) unsaved."""
    found = AttendancePolicy.objects.filter(project=project).first()
    return found or AttendancePolicy(project=project, radius_m=DEFAULT_RADIUS_M)


def radius_for(policy: AttendancePolicy, point) -> int:
    """The stricter of the project's radius and the service point's own."""
    return min(policy.radius_m, point.geofence_metres or policy.radius_m)


def _check_location(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise AttendanceRefused("bad_location", _("Send both latitude and longitude."))
    if latitude is None:
        return
    if not (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    ):
        raise AttendanceRefused("bad_location", _("This location is not valid."))


def distance_to_point(shift: Shift, latitude, longitude) -> int | None:
    point = shift.point
    if latitude is None or point.latitude is None or point.longitude is None:
        return None
    return haversine_m(latitude, longitude, point.latitude, point.longitude)


def check_geofence(shift: Shift, latitude, longitude) -> int | None:
    """The distance in metres (None if unknown); refused outside a required geofence."""
    _check_location(latitude, longitude)
    distance = distance_to_point(shift, latitude, longitude)
    policy = policy_for(shift.project)
    if not policy.geofence_required:
        return distance
    point = shift.point
    if point.latitude is None or point.longitude is None:
        raise AttendanceRefused(
            "point_without_location",
            _(
                "This project checks people in on site, but the service point has no "
                "location on the map. Ask the leader to check you in."
            ),
        )
    if latitude is None:
        raise AttendanceRefused(
            "location_required",
            _(
                "This project checks people in on site: allow this page to use your "
                "location (in the browser's settings) and try again."
            ),
            field="latitude",
        )
    radius = radius_for(policy, point)
    if distance > radius:
        raise AttendanceRefused(
            "too_far",
            _(
                "You are %(distance)s m from the service point; check-in works within "
                "%(radius)s m of it."
            )
            % {"distance": distance, "radius": radius},
        )
    return distance


# --- rows and locks ---------------------------------------------------------------------------


def _require_confirmed(signup: Signup) -> None:
    if signup.status != Signup.Status.CONFIRMED:
        raise AttendanceRefused(
            "not_confirmed",
            _("Only confirmed signups can check in; this one is %(status)s.")
            % {"status": signup.get_status_display()},
        )


def _locked(signup_id: int, direction: str) -> Attendance:
    """Lock the confirmed signup and return its attendance (unsaved when there is none yet),
    if it may be checked `direction`; twice, or out without in, changes nothing and says why."""
    signup = (
        Signup.objects.select_for_update(of=("self",))
        .select_related("shift__project__organisation", "shift__point", "volunteer__user")
        .get(pk=signup_id)
    )
    _require_confirmed(signup)
    attendance = Attendance.objects.filter(signup=signup).first() or Attendance()
    attendance.signup = signup
    if direction == IN and attendance.checked_in_at:
        raise AttendanceConflict(
            "already_checked_in",
            _("Already checked in at %(time)s: nothing changed.")
            % {"time": _local(attendance.checked_in_at)},
        )
    if direction == OUT and not attendance.checked_in_at:
        raise AttendanceConflict(
            "not_checked_in",
            _("There is no check-in yet, so there is nothing to check out: nothing changed."),
        )
    if direction == OUT and attendance.checked_out_at:
        raise AttendanceConflict(
            "already_checked_out",
            _("Already checked out at %(time)s: nothing changed.")
            % {"time": _local(attendance.checked_out_at)},
        )
    return attendance


def _stamp(
    attendance: Attendance,
    direction: str,
    *,
    at: datetime,
    method: str,
    by=None,
    latitude: float | None = None,
    longitude: float | None = None,
    distance_m: int | None = None,
) -> None:
    """Write one side (in or out) of the locked attendance and save it; checking in clears a
    no-show (they came after all)."""
    if direction == IN:
        attendance.checked_in_at, attendance.no_show = at, False
    else:
        attendance.checked_out_at = at
    # in_method, in_by, in_latitude… or out_method, out_by, out_latitude…
    side = dict(method=method, by=by, latitude=latitude, longitude=longitude, distance_m=distance_m)
    for name, value in side.items():
        setattr(attendance, f"{direction}_{name}", value)
    attendance.save()


def _changed(attendance: Attendance, action: str) -> None:
    transaction.on_commit(
        lambda: attendance_changed.send(sender=Attendance, attendance=attendance, action=action)
    )


# --- volunteers: scanning the code ------------------------------------------------------------


def shift_for_token(token: str, *, now: datetime) -> tuple[Shift, str]:
    """The shift and direction of a genuine, current code; else AttendanceRefused says why."""
    shift_id, direction = read_qr_token(token, now=now)
    shift = Shift.objects.select_related("project", "point").filter(pk=shift_id).first()
    if shift is None:
        raise AttendanceRefused("token_invalid", _("This shift no longer exists."))
    return shift, direction


def signup_for_scan(*, user, shift_id: int) -> Signup:
    """The user's own confirmed signup on the shift; otherwise refused with the reason."""
    volunteer = volunteer_of(user)
    mine = Signup.objects.filter(volunteer=volunteer, shift_id=shift_id)
    signup = mine.filter(status=Signup.Status.CONFIRMED).first()
    if signup is None:
        latest = mine.filter(status__in=Signup.LIVE).first() or mine.order_by("-id").first()
        if latest is None:
            raise AttendanceRefused("not_signed_up", _("You are not signed up for this shift."))
        _require_confirmed(latest)  # not confirmed: refused with its status
    return signup


def window_state(shift: Shift, now: datetime | None = None) -> str:
    """Where the shift stands for self check-in: early, check_in, check_out or closed."""
    now = now or timezone.now()
    if now < shift.starts_at - CHECK_IN_OPENS_BEFORE:
        return "early"
    if now < shift.ends_at:
        return "check_in"
    if now <= shift.ends_at + CHECK_OUT_CLOSES_AFTER:
        return "check_out"
    return "closed"


def _check_scan_window(shift: Shift, direction: str, now: datetime) -> None:
    """Refuse a scan outside the shift's window (the same `window_state` the pages show)."""
    window = window_state(shift, now)
    if direction == IN and window == "early":
        raise AttendanceRefused(
            "too_early",
            _("Check-in opens at %(time)s, an hour before the shift starts.")
            % {"time": _local(shift.starts_at - CHECK_IN_OPENS_BEFORE)},
        )
    if direction == IN and window in ("check_out", "closed"):
        raise AttendanceRefused(
            "check_in_closed",
            _("Check-in closed when the shift ended at %(time)s. Ask the leader.")
            % {"time": _local(shift.ends_at)},
        )
    if direction == OUT and window == "closed":
        raise AttendanceRefused(
            "check_out_closed",
            _("Check-out closed at %(time)s, six hours after the shift ended. Ask the leader.")
            % {"time": _local(shift.ends_at + CHECK_OUT_CLOSES_AFTER)},
        )


def scan(
    *,
    user,
    token: str,
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Check the user in or out with the code from the leader's screen.

    Only the scanner's own signup is ever found (`signup_for_scan`), so no one can check
    someone else in with a code."""
    now = now or timezone.now()
    shift, direction = shift_for_token(token, now=now)
    signup = signup_for_scan(user=user, shift_id=shift.pk)
    with transaction.atomic():
        attendance = _locked(signup.pk, direction)
        shift = attendance.signup.shift
        _check_scan_window(shift, direction, now)
        distance = check_geofence(shift, latitude, longitude)
        # Out never before in (a database constraint), whatever the app servers' clocks say.
        at = now if direction == IN else max(now, attendance.checked_in_at)
        _stamp(
            attendance,
            direction,
            at=at,
            method=M.QR,
            latitude=latitude,
            longitude=longitude,
            distance_m=distance,
        )
        action = "checked_in" if direction == IN else "checked_out"
        audit_log(actor=user, action=f"attendance.{action}", target=attendance, distance_m=distance)
        _changed(attendance, action)
    return attendance


# --- leaders: entries from the roster -----------------------------------------------------------


def _tell(signup: Signup, kind: str, title: str, body: str) -> None:
    shift = signup.shift
    what = f"{shift.project.title} · {_local(shift.starts_at)}"
    notify(
        user=signup.volunteer.user,
        kind=kind,
        title=title % {"what": what},
        body=body,
        url=reverse("attendance:mine", args=[signup.pk]),
    )


def _entry_time(at: datetime | None, now: datetime) -> datetime:
    at = _aware(at) if at is not None else now
    if at > now:
        raise AttendanceRefused("future_time", _("The time cannot be in the future."), field="at")
    return at


def _leader_entry(actor, signup: Signup, direction: str, reason: str, at, now) -> Attendance:
    """Check in (or out) at the real time the volunteer arrived (or left), with a reason."""
    now = now or timezone.now()
    require_allowed(permissions.can_run_attendance(actor, signup.shift.project))
    reason = _reason(reason)
    at = _entry_time(at, now)
    with transaction.atomic():
        attendance = _locked(signup.pk, direction)
        signup, shift = attendance.signup, attendance.signup.shift
        if direction == IN:
            opens, closes = shift.starts_at - CHECK_IN_OPENS_BEFORE, shift.ends_at
            wrong_time = _(
                "The check-in time must be between %(opens)s and %(closes)s: "
                "enter the time the volunteer arrived."
            )
            title, extra = (
                _("The leader checked you in: %(what)s"),
                {"was_no_show": attendance.no_show},
            )
        else:
            opens, closes = attendance.checked_in_at, shift.ends_at + CHECK_OUT_CLOSES_AFTER
            wrong_time = _(
                "The check-out time must be between %(opens)s and %(closes)s: "
                "enter the time the volunteer left."
            )
            title, extra = _("The leader checked you out: %(what)s"), {}
        if not opens <= at <= closes:
            raise AttendanceRefused(
                "bad_time",
                wrong_time % {"opens": _local(opens), "closes": _local(closes)},
                field="at",
            )
        attendance.reason = reason
        _stamp(attendance, direction, at=at, method=M.LEADER, by=actor)
        action = "checked_in_by_leader" if direction == IN else "checked_out_by_leader"
        audit_log(
            actor=actor,
            action=f"attendance.{action}",
            target=attendance,
            at=at.isoformat(),
            reason=reason,
            **extra,
        )
        _tell(
            signup,
            f"attendance.{action}",
            title,
            _("Time: %(time)s. Reason: %(reason)s") % {"time": _local(at), "reason": reason},
        )
        _changed(attendance, "checked_in" if direction == IN else "checked_out")
    return attendance


def check_in_by_leader(
    *, actor, signup: Signup, reason: str, at: datetime | None = None, now: datetime | None = None
) -> Attendance:
    """The leader checks a volunteer in (at the real arrival time), with a reason."""
    return _leader_entry(actor, signup, IN, reason, at, now)


def check_out_by_leader(
    *, actor, signup: Signup, reason: str, at: datetime | None = None, now: datetime | None = None
) -> Attendance:
    """The leader checks a volunteer out (at the real leaving time), with a reason."""
    return _leader_entry(actor, signup, OUT, reason, at, now)


def mark_no_show(*, actor, signup: Signup, reason: str, now: datetime | None = None) -> Attendance:
    """The leader records that a confirmed volunteer did not come, with a reason."""
    now = now or timezone.now()
    require_allowed(permissions.can_run_attendance(actor, signup.shift.project))
    reason = _reason(reason)
    with transaction.atomic():
        attendance = _locked(signup.pk, IN)  # a volunteer already checked in came
        if now < attendance.signup.shift.starts_at:
            raise AttendanceRefused(
                "not_started", _("A no-show can be marked once the shift has started.")
            )
        if attendance.no_show:
            raise AttendanceConflict(
                "already_no_show", _("Already marked as a no-show: nothing changed.")
            )
        attendance.no_show, attendance.reason = True, reason
        attendance.save()
        audit_log(actor=actor, action="attendance.no_show", target=attendance, reason=reason)
        _tell(
            attendance.signup,
            "attendance.no_show",
            _("Marked as not attending: %(what)s"),
            _("Reason: %(reason)s. If you were there, tell the leader.") % {"reason": reason},
        )
        _changed(attendance, "no_show")
    return attendance


LEADER_ACTIONS = {
    "check_in": check_in_by_leader,
    "check_out": check_out_by_leader,
    "no_show": mark_no_show,
}


# --- the project's policy ---------------------------------------------------------------------


def set_policy(
    *, actor, project: Project, geofence_required: bool, radius_m: int
) -> AttendancePolicy:
    """Require check-in on site (or not) and set the project's radius."""
    require_allowed(permissions.can_set_attendance_policy(actor, project))
    if not 10 <= radius_m <= 10_000:
        raise AttendanceRefused(
            "bad_radius", _("The radius must be between 10 and 10,000 metres."), field="radius_m"
        )
    with transaction.atomic():
        policy, _created = AttendancePolicy.objects.select_for_update().get_or_create(
            project=project
        )
        policy.geofence_required, policy.radius_m = geofence_required, radius_m
        policy.save()
        audit_log(
            actor=actor,
            action="attendance.policy_set",
            target=policy,
            geofence_required=geofence_required,
            radius_m=radius_m,
        )
    return policy
