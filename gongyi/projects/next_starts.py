"""Keeping `Project.next_start`: the start of each project's first shift from now on.

Shift services refresh their project at once. Time passing also moves it (a shift starts, so
the next one is later), which no write announces: the finder calls `refresh_passed()`, which
at most once a minute moves the projects whose `next_start` is in the past. So "starting
soon" may show a shift that began less than a minute ago; it never misses a new one.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from gongyi.projects.models import Project, Shift

REFRESH_SECONDS = 60
REFRESH_KEY = "projects:next-start-refreshed"


def _first_upcoming(now):
    return Subquery(
        Shift.objects.filter(project=OuterRef("pk"), starts_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )


def refresh(project_ids: Iterable[int] | None = None, *, now=None) -> int:
    """Recompute `next_start` of these projects (all when None); returns how many rows."""
    now = now or timezone.now()
    projects = Project.objects.all()
    if project_ids is not None:
        projects = projects.filter(pk__in=list(project_ids))
    return projects.update(next_start=_first_upcoming(now))


def refresh_passed(*, now=None) -> int:
    """Move on the projects whose next shift has started; at most once a minute."""
    if not cache.add(REFRESH_KEY, True, REFRESH_SECONDS):
        return 0
    now = now or timezone.now()
    return Project.objects.filter(next_start__lt=now).update(next_start=_first_upcoming(now))
