"""Reads of snapshots for the pages and the API: galleries, the wall, one snapshot.

Lists page with LIMIT n+1 (no COUNT over a growing table) and fetch the project, its
organisation and the uploader's volunteer profile in the same query (no N+1).
"""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404

from gongyi import permissions
from gongyi.core.page_cache import cache_version
from gongyi.projects.models import Project
from gongyi.regions.models import Region
from gongyi.snapshots.models import KEY_LENGTH, PUBLIC_PROJECT_STATUSES, Snapshot
from gongyi.snapshots.services import MAX_PER_PERSON, WALL_VERSION

PAGE_SIZE = 24
MAX_PAGE = 1000  # deeper pages of the wall are never asked for; the galleries hold them all
STRIP_SIZE = 6
WALL_SECONDS = 30
KEY_RE = re.compile(rf"[A-Za-z0-9_-]{{{KEY_LENGTH}}}")


@dataclass
class SnapshotPage:
    items: list[Snapshot]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _with_people(snapshots: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
    return snapshots.select_related("project__organisation", "uploader__volunteer")


def page_of(snapshots: QuerySet[Snapshot], number: int, size: int = PAGE_SIZE) -> SnapshotPage:
    number = min(max(number, 1), MAX_PAGE)
    start = (number - 1) * size
    rows = list(snapshots[start : start + size + 1])
    return SnapshotPage(items=rows[:size], number=number, has_next=len(rows) > size)


def page_number(value) -> int:
    """`?page=` as a page number: junk is page 1, as Django's Paginator.get_page does."""
    try:
        return min(max(int(value), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


# --- one snapshot ---------------------------------------------------------------------------


def snapshot_by_key(key: str) -> Snapshot:
    """The snapshot with this key, whatever its status, or 404."""
    if not KEY_RE.fullmatch(key or ""):
        raise Http404
    found = _with_people(Snapshot.objects.filter(key=key)).first()
    if found is None:
        raise Http404
    return found


def visible_snapshot(*, user, key: str) -> Snapshot:
    """The snapshot, if the user may see it; otherwise 404 (a pending one does not exist for
    the public, not even as a 403)."""
    snapshot = snapshot_by_key(key)
    if not permissions.can_see_snapshot(user, snapshot):
        raise Http404
    return snapshot


def public_snapshot(key: str) -> Snapshot | None:
    """The snapshot if everybody may see it, else None: what the sharing app's "snapshot"
    kind resolves a key with (only public targets get short links and previews)."""
    try:
        snapshot = snapshot_by_key(key)
    except Http404:
        return None
    return snapshot if snapshot.is_public else None


# --- lists ----------------------------------------------------------------------------------


def public_snapshots() -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(
        status=Snapshot.Status.APPROVED, project__status__in=PUBLIC_PROJECT_STATUSES
    )


def project_gallery(*, user, project: Project, status: str | None = None) -> QuerySet[Snapshot]:
    """The project's photos this user may see: the organiser all of them (or one status),
    everybody the approved ones, and an uploader their own as well."""
    snapshots = Snapshot.objects.filter(project=project)
    if not permissions.can_moderate_snapshots(user, project):
        visible = Q(status=Snapshot.Status.APPROVED)
        if project.status not in PUBLIC_PROJECT_STATUSES:
            visible = Q(pk__in=[])
        if user.is_authenticated:
            visible |= Q(uploader=user)
        snapshots = snapshots.filter(visible)
    if status:
        snapshots = snapshots.filter(status=status)
    return _with_people(snapshots).order_by("-created_at", "-id")


def project_strip(project: Project) -> list[Snapshot]:
    """The newest approved photos of a project, for the strip on its page."""
    if project.status not in PUBLIC_PROJECT_STATUSES:
        return []
    latest = Snapshot.objects.filter(project=project, status=Snapshot.Status.APPROVED)
    fields = ("key", "caption", "thumb_width", "thumb_height")
    return list(latest.only(*fields).order_by("-created_at", "-id")[:STRIP_SIZE])


def my_snapshots(*, user) -> QuerySet[Snapshot]:
    return _with_people(Snapshot.objects.filter(uploader=user)).order_by("-created_at", "-id")


def uploads_left(*, user, project: Project) -> int:
    held = Snapshot.objects.filter(uploader=user, project=project).count()
    return max(0, MAX_PER_PERSON - held)


def pending_count(project: Project) -> int:
    return Snapshot.objects.filter(project=project, status=Snapshot.Status.PENDING).count()


# --- the city-wide wall ---------------------------------------------------------------------


def cities() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.CITY).order_by("code"))


def city_by_id(city_id) -> Region | None:
    """The city named by `?city=`; None for none, junk or anything that is not a city."""
    try:
        pk = int(city_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= pk < 2**63:
        return None
    return Region.objects.filter(pk=pk, level=Region.Level.CITY).first()


def wall_version() -> int:
    """Moves on whenever a photo is approved, hidden or deleted: cached walls go stale."""
    return cache_version(WALL_VERSION)


def wall(*, page: int = 1, city: Region | None = None) -> SnapshotPage:
    """The newest approved photos of every public project (of one city, if given). The same
    for everybody, so kept in the cache briefly."""
    page = page_number(page)
    key = f"snapshots:wall:{wall_version()}:{city.pk if city else 0}:{page}"
    found = cache.get(key)
    if found is None:
        snapshots = public_snapshots()
        if city is not None:
            snapshots = snapshots.filter(project__district__city=city)
        found = page_of(_with_people(snapshots).order_by("-created_at", "-id"), page)
        cache.set(key, found, WALL_SECONDS)
    return found
