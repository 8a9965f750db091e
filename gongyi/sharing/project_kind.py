"""The "project" share kind: a project's share target and its poster.

Registered in `SharingConfig.ready()`. The key is the project number; published and concluded
projects are public (as on the project's own page), drafts and cancelled ones are not.
"""

from datetime import date, datetime

from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gongyi.core.clock import LOCAL_TZ
from gongyi.projects import selectors as project_selectors
from gongyi.projects.models import Project, ServicePoint, Shift
from gongyi.projects.search import html_to_text
from gongyi.sharing import kinds
from gongyi.sharing.posters import POSTER_LANGUAGE, PosterContent

KIND = "project"
LABEL = gettext_lazy("Project")
DESCRIPTION_CHARS = 120


def project_target(project: Project) -> kinds.ShareTarget:
    """The share target of a loaded project (no query; its organisation is read)."""
    return kinds.ShareTarget(
        kind=KIND,
        key=project.number,
        path=project.get_absolute_url(),
        title=project.title,
        description=_description(project),
        image_path=reverse("sharing:project_poster", args=[project.number]),
        project_id=project.pk,
        is_public=project.status in project_selectors.PUBLIC_STATUSES,
    )


def resolve(key: str) -> kinds.ShareTarget | None:
    if not project_selectors.NUMBER_RE.fullmatch(key):
        return None
    project = Project.objects.select_related("organisation").filter(number=key).first()
    return project_target(project) if project is not None else None


def register() -> None:
    kinds.register(KIND, resolve, label=LABEL)


def _description(project: Project) -> str:
    text = project.summary or html_to_text(project.description).strip()
    if not text:
        text = _("A volunteer service project of %(org)s") % {"org": project.organisation.name}
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_CHARS)


# --- the poster -----------------------------------------------------------------------------


def poster_content(project: Project, url: str) -> PosterContent:
    """What the project's poster says, in Chinese: title, time, place, organiser, and a QR
    code of `url` (the short link). Two queries: the next shift (with its point), else the
    first service point."""
    shift = (
        project.shifts.filter(starts_at__gte=timezone.now())
        .select_related("point")
        .order_by("starts_at", "id")
        .first()
    )
    point = shift.point if shift is not None else project.points.order_by("id").first()
    with translation.override(POSTER_LANGUAGE):
        return PosterContent(
            title=project.title,
            lines=(
                (_("Time"), time_text(project, shift)),
                (_("Place"), place_text(project, point)),
                (_("Organiser"), project.organisation.name),
            ),
            url=url,
            caption=_("Scan to see the project and sign up"),
        )


def _day(value: date | datetime) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _month_day(value: date | datetime) -> str:
    # Django's own MONTH_DAY_FORMAT for Chinese pads the month ("09月5日"): ours does not.
    return dateformat.format(value, pgettext("poster date without the year", "F j"))


def time_text(project: Project, shift: Shift | None) -> str:
    """The next shift (Shanghai time) or, with none to come, the service period."""
    if shift is None:
        start, end = project.service_start, project.service_end
        if start == end:
            return _day(start)
        return f"{_day(start)} – {_month_day(end) if end.year == start.year else _day(end)}"
    starts, ends = shift.starts_at.astimezone(LOCAL_TZ), shift.ends_at.astimezone(LOCAL_TZ)
    weekday = dateformat.format(starts, "l")
    same_day = ends.date() == starts.date()
    until = f"{ends:%H:%M}" if same_day else f"{_month_day(ends)} {ends:%H:%M}"
    return f"{_day(starts)} {weekday} {starts:%H:%M}–{until}"


def place_text(project: Project, point: ServicePoint | None) -> str:
    """Online projects: 线上; else the district and the first point with its address."""
    if project.mode == Project.Mode.ONLINE:
        return pgettext("poster place", "Online")
    if point is None:
        return project.district.name
    where = f"{point.name}（{point.address}）" if point.address else point.name
    return f"{project.district.name} {where}"
