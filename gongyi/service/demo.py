"""Demo hours: the leaders confirm the attended past shifts, through the real service.

Call after the attendance demo (`build_demo_attendance`). Each shift is confirmed by a leader
(or admin) of its organisation a few hours to three days after it ended, in the order the
shifts ended, so every record is hash-chained, audited and told to its volunteer like a real
one. Left waiting on purpose, for the awaiting-confirmation list: shifts that ended in the
last two days, and one older shift in twenty (flagged overdue by `flag_overdue_hours`).
Safe to run twice: what is recorded already is passed over.
"""

from datetime import datetime, timedelta

from gongyi.core.errors import ServiceError
from gongyi.orgs.models import Membership
from gongyi.projects.models import Shift
from gongyi.service import selectors, services

LEFT_FOR_THE_LEADER = timedelta(days=2)
FORGOTTEN_ONE_IN = 20


def _confirmers() -> dict[int, object]:
    """One active leader per organisation (an admin where there is no leader)."""
    found: dict[int, object] = {}
    rows = (
        Membership.objects.filter(status="active", role__in=("leader", "admin"))
        .select_related("user")
        .order_by("-role", "id")  # descending: "leader" before "admin"
    )
    for membership in rows:
        found.setdefault(membership.organisation_id, membership.user)
    return found


def build_demo_records(now: datetime) -> int:
    """Confirm the hours of past shifts with attendances; returns how many records were made."""
    ended = Shift.objects.filter(ends_at__lte=now - LEFT_FOR_THE_LEADER)
    waiting = (
        selectors.pending_attendances(ended.values_list("pk", flat=True))
        .filter(checked_out_at__isnull=False)
        .values_list("signup__shift_id", flat=True)
        .distinct()
    )
    shifts = (
        Shift.objects.filter(pk__in=list(waiting))
        .select_related("project__organisation")
        .order_by("ends_at", "pk")
    )
    confirmers = _confirmers()
    made = 0
    for shift in shifts:
        actor = confirmers.get(shift.project.organisation_id)
        if actor is None or shift.pk % FORGOTTEN_ONE_IN == 0:
            continue
        hours_later = 2 + shift.pk % 70
        confirmed_at = min(now, shift.ends_at + timedelta(hours=hours_later))
        try:
            result = services.confirm_shift_hours(actor=actor, shift=shift, now=confirmed_at)
        except ServiceError:
            continue  # e.g. the actor lost the role: leave it waiting
        made += len(result.created)
    services.flag_overdue_hours(now=now)
    return made
