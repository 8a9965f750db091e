"""Sharing reads: links by target or code, a project's share figures, a poster's project."""

import re
from dataclasses import dataclass

from django.http import Http404

from gongyi import permissions
from gongyi.projects import selectors as project_selectors
from gongyi.projects.models import Project
from gongyi.sharing.models import CODE_ALPHABET, ShareLink

CODE_RE = re.compile(f"[{CODE_ALPHABET}]{{6,8}}")


def link_of(kind: str, key: str) -> ShareLink | None:
    return ShareLink.objects.filter(kind=kind, key=key).first()


def link_by_code(code: str) -> ShareLink | None:
    """The link with this code (typed in lower case too); junk never reaches the database."""
    code = (code or "").upper()
    if not CODE_RE.fullmatch(code):
        return None
    return ShareLink.objects.filter(code=code).first()


@dataclass(frozen=True)
class ShareFigures:
    project: Project
    shares: int
    visits: int
    links: list[ShareLink]


def project_figures(project: Project) -> ShareFigures:
    """Shares and visits of every link counted under the project (one query)."""
    links = list(ShareLink.objects.filter(project=project).order_by("kind", "created_at", "id"))
    return ShareFigures(
        project=project,
        shares=sum(link.shares for link in links),
        visits=sum(link.visits for link in links),
        links=links,
    )


def figures_project(*, user, number: str) -> Project:
    """The project whose figures the user asks for: 404 when they cannot see it at all,
    403 (PermissionDenied) when they can but do not manage it."""
    project = project_selectors.visible_project(user=user, number=number)
    permissions.require(permissions.can_see_share_figures(user, project))
    return project


def poster_project(number: str) -> Project:
    """A public (published or concluded) project, else 404: drafts and cancelled projects
    have no poster. Only what the poster shows is read: a poster that is already cached
    costs this and two small queries."""
    if not project_selectors.NUMBER_RE.fullmatch(number or ""):
        raise Http404
    project = (
        Project.objects.select_related("organisation", "district")
        .only(*POSTER_FIELDS)
        .filter(number=number, status__in=project_selectors.PUBLIC_STATUSES)
        .first()
    )
    if project is None:
        raise Http404
    return project


POSTER_FIELDS = (
    "number",
    "title",
    "status",
    "mode",
    "service_start",
    "service_end",
    "organisation__name",
    "district__name",
)
