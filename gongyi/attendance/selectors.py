"""Reads for attendance pages, the API and the apps above (service hours)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from gongyi import permissions
from gongyi.attendance.models import Attendance
from gongyi.attendance.services import CHECK_OUT_CLOSES_AFTER
from gongyi.projects.models import Project, Shift
from gongyi.projects.selectors import led_org_ids, shift_of
from gongyi.signups.models import Signup


def served_minutes(attendance: Attendance) -> int | None:
    """Whole minutes between check-in and check-out, capped at the shift's length.

    None when either time is missing or the volunteer was a no-show.
    """
    if attendance.no_show or not attendance.checked_in_at or not attendance.checked_out_at:
        return None
    minutes = int((attendance.checked_out_at - attendance.checked_in_at).total_seconds() // 60)
    return max(0, min(minutes, attendance.signup.shift.minutes))


def attendance_of(signup: Signup) -> Attendance | None:
    """The signup's attendance row, or None when nothing was recorded yet."""
    try:
        return signup.attendance
    except Attendance.DoesNotExist:
        return None


# --- pages and the API ----------------------------------------------------------------------


def scan_url(request, token: str) -> str:
    """The address the QR code holds: the scan page, absolute, with the token."""
    return request.build_absolute_uri(reverse("attendance:scan") + "?" + urlencode({"t": token}))


def shift_for_leader(*, user, shift_id: int) -> Shift:
    """The shift, if the user may run its check-in (404 for unknown, 403 for others)."""
    shift = shift_of(shift_id)
    permissions.require(permissions.can_run_attendance(user, shift.project))
    return shift


def _signup(signup_id: int) -> Signup:
    return get_object_or_404(
        Signup.objects.select_related(
            "shift__project__organisation", "shift__point", "volunteer__user"
        ),
        pk=signup_id,
    )


def signup_for_leader(*, user, signup_id: int) -> Signup:
    """A signup of a shift the user may run the check-in of."""
    signup = _signup(signup_id)
    permissions.require(permissions.can_run_attendance(user, signup.shift.project))
    return signup


def signup_for_viewer(*, user, signup_id: int) -> Signup:
    """A signup whose attendance the user may see: their own, or a project they lead."""
    signup = _signup(signup_id)
    permissions.require(permissions.can_see_attendance(user, signup))
    return signup


def project_for_manager(*, user, project_id: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("organisation"), pk=project_id)
    permissions.require(permissions.can_set_attendance_policy(user, project))
    return project


def shift_signups(*, shift: Shift) -> QuerySet[Signup]:
    """Confirmed signups of the shift, and any other that has an attendance; leaders only."""
    return (
        Signup.objects.filter(shift=shift)
        .filter(Q(status=Signup.Status.CONFIRMED) | Q(attendance__isnull=False))
        .select_related(
            "shift", "volunteer__user", "attendance", "attendance__in_by", "attendance__out_by"
        )
        .order_by("volunteer__real_name", "id")
    )


@dataclass
class ShiftCounts:
    confirmed: int
    checked_in: int
    checked_out: int
    no_shows: int

    @property
    def not_yet(self) -> int:
        return self.confirmed - self.checked_in - self.no_shows


def shift_counts(*, shift: Shift) -> ShiftCounts:
    """How many of the shift's confirmed volunteers came, left, or did not come (one query:
    the leader's QR screen asks every 10 seconds)."""
    return ShiftCounts(
        **Signup.objects.filter(shift=shift, status=Signup.Status.CONFIRMED).aggregate(
            confirmed=Count("pk"),
            checked_in=Count("pk", filter=Q(attendance__checked_in_at__isnull=False)),
            checked_out=Count("pk", filter=Q(attendance__checked_out_at__isnull=False)),
            no_shows=Count("pk", filter=Q(attendance__no_show=True)),
        )
    )


def shifts_to_run(*, user, now: datetime | None = None, limit: int = 100) -> QuerySet[Shift]:
    """Shifts of projects the user leads, from a week back to a week ahead, soonest first."""
    now = now or timezone.now()
    return (
        Shift.objects.filter(project__organisation_id__in=led_org_ids(user))
        .filter(
            ends_at__gte=now - timedelta(days=7) - CHECK_OUT_CLOSES_AFTER,
            starts_at__lte=now + timedelta(days=7),
        )
        .exclude(project__status__in=(Project.Status.DRAFT, Project.Status.CANCELLED))
        .select_related("project", "point")
        .order_by("starts_at", "id")[:limit]
    )
