"""Reads for signup pages and the API: my signups, rosters, exports, draws."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongyi import permissions
from gongyi.core import rows
from gongyi.projects.models import Project, Shift
from gongyi.projects.selectors import my_projects
from gongyi.signups.models import LotteryDraw, Signup
from gongyi.signups.services import verify_draw, volunteer_may_cancel

_SHIFT_TO_SIGN_UP = (
    f"SELECT {rows.columns(Shift, 's')}, {rows.columns(Project, 'p')}"
    f" FROM {Shift._meta.db_table} s JOIN {Project._meta.db_table} p ON p.id = s.project_id"
    " WHERE s.id = %s"
)


def shift_to_sign_up(shift_id: int) -> Shift:
    """The shift and its project, or 404: read by hand (core.rows), it is the hottest read."""
    row = rows.fetch_one(_SHIFT_TO_SIGN_UP, [shift_id])
    if row is None:
        raise Http404
    shift, shift.project = rows.instances(row, Shift, Project)
    return shift


def my_signups(*, volunteer) -> QuerySet[Signup]:
    return (
        Signup.objects.filter(volunteer=volunteer)
        .select_related("shift__project", "shift__point")
        .order_by("shift__starts_at", "id")
    )


def split_upcoming(signups, now=None) -> tuple[list[Signup], list[Signup]]:
    """Upcoming (not yet ended) soonest first, past most recent first."""
    now = now or timezone.now()
    upcoming, past = [], []
    for signup in signups:
        signup.can_cancel = volunteer_may_cancel(signup, now)
        (upcoming if signup.shift.ends_at > now else past).append(signup)
    return upcoming, past[::-1]


def shift_for_roster(*, user, shift_id: int) -> Shift:
    """The shift, if the user may see its roster (404 for unknown, 403 for others)."""
    shift = get_object_or_404(
        Shift.objects.select_related("project__organisation", "point"), pk=shift_id
    )
    permissions.require(permissions.can_see_roster(user, shift.project))
    return shift


def project_for_organiser(*, user, project_id: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("organisation"), pk=project_id)
    permissions.require(permissions.can_see_roster(user, project))
    return project


def roster(*, shift: Shift) -> QuerySet[Signup]:
    """Everyone on the shift, live first; organisers only (callers check permissions)."""
    return (
        Signup.objects.filter(shift=shift)
        .select_related("volunteer__user")
        .order_by("status", "draw_rank", "created_at", "id")
    )


def organiser_projects(*, user) -> QuerySet[Project]:
    """The projects the user runs (admin or leader of their organisation), with their shifts;
    drafts that have no shift yet have nothing to run."""
    shifts = Shift.objects.select_related("point").order_by("starts_at", "id")
    return (
        my_projects(user=user)
        .exclude(status=Project.Status.DRAFT, shifts__isnull=True)
        .prefetch_related(Prefetch("shifts", queryset=shifts))
    )


EXPORT_COLUMNS = (
    "shift",
    "point",
    "status",
    "volunteer_number",
    "name",
    "phone",
    "signed_up_at",
    "reason",
)


def export_rows(*, project: Project) -> list[list[str]]:
    """The project's roster as rows (header first) for CSV and XLSX."""
    header = [
        _("Shift"),
        _("Service point"),
        _("Status"),
        _("Volunteer number"),
        pgettext("person", "Name"),
        _("Mobile number"),
        _("Signed up at"),
        _("Reason"),
    ]
    rows = [header]
    signups = (
        Signup.objects.filter(shift__project=project)
        .select_related("volunteer__user", "shift__point")
        .order_by("shift__starts_at", "shift_id", "status", "created_at", "id")
    )
    for s in signups:
        rows.append(
            [
                f"{timezone.localtime(s.shift.starts_at):%Y-%m-%d %H:%M}"
                f"–{timezone.localtime(s.shift.ends_at):%H:%M}",
                s.shift.point.name,
                str(s.get_status_display()),
                s.volunteer.number,
                s.volunteer.real_name,
                s.volunteer.user.phone,
                f"{timezone.localtime(s.created_at):%Y-%m-%d %H:%M:%S}",
                s.reason,
            ]
        )
    return rows


def draw_for(*, number: str) -> tuple[Project, LotteryDraw | None]:
    project = get_object_or_404(
        Project.objects.exclude(status=Project.Status.DRAFT),
        number=number,
        allocation=Project.Allocation.LOTTERY,
    )
    return project, LotteryDraw.objects.filter(project=project).first()


def draw_table(draw: LotteryDraw) -> list[dict]:
    """Per shift: the stored order with masked names beside the ranks, and whether re-running
    the draw from its seed gives that order."""
    drawn = draw.summary.get("shifts", {})
    shift_rows = Shift.objects.filter(pk__in=[int(k) for k in drawn]).select_related("point")
    shifts = {s.pk: s for s in shift_rows}
    all_ids = [i for v in drawn.values() for i in v["order"]]
    people = {
        s.pk: s.volunteer for s in Signup.objects.filter(pk__in=all_ids).select_related("volunteer")
    }
    verified = verify_draw(draw)
    table = []
    for key, stored in drawn.items():
        places = stored.get("places")
        entries = [
            {
                "rank": rank,
                "signup_id": sid,
                "volunteer": people[sid].masked_name if sid in people else "",
                "number": people[sid].number if sid in people else "",
                "in_places": places is None or rank <= places,
            }
            for rank, sid in enumerate(stored["order"], start=1)
        ]
        table.append(
            {
                "shift": shifts.get(int(key)),
                "shift_id": int(key),
                "places": places,
                "confirmed": stored.get("confirmed", 0),
                "entries": entries,
                "verified": verified[key],
            }
        )
    return table
