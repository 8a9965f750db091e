"""The finder's queries alone (no HTTP, no rendering): page 2 of each sort and filter mix.

Each case lists 20 projects of page 2 and counts the matches, as the finder does. Baselines
in the same run: the default list (newest first), and "starting soon" computed the way it
was before `Project.next_start` existed (a correlated subquery per published project).
"""

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from bench.timing import measure, report
from gongyi.projects import selectors
from gongyi.projects.models import Project, Shift
from gongyi.projects.selectors import ProjectFilters
from gongyi.regions.models import Region

PEOPLES_SQUARE = {"lat": 31.2317, "lng": 121.4726}


def page_two(projects) -> None:
    list(Paginator(projects, selectors.PAGE_SIZE).get_page(2))


def soon_computed_per_project():
    """The old "starting soon": the next shift of every published project, then sort."""
    upcoming = (
        Shift.objects.filter(project=OuterRef("pk"), starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        Project.objects.filter(status=Project.Status.PUBLISHED)
        .annotate(upcoming=Subquery(upcoming))
        .order_by(F("upcoming").asc(nulls_last=True), "-id")
    )


def run() -> None:
    district = Region.objects.filter(code="310101").first()
    if district is None:
        print("skipped: no demo data (310101 黄浦区 missing)")
        return
    cases = {
        "newest (baseline)": ProjectFilters(),
        "starting soon (stored next_start)": ProjectFilters(sort="soon"),
        "nearest to 人民广场": ProjectFilters(sort="nearest", **PEOPLES_SQUARE),
        "district + on-site + keyword 老人": ProjectFilters(
            district_id=district.pk, mode="onsite", q="老人"
        ),
        "keyword + places left + morning": ProjectFilters(
            q="老人", places_left=True, time_of_day="morning"
        ),
    }
    published = Project.objects.filter(status=Project.Status.PUBLISHED).count()
    print(f"{published} published projects; page 2 of 20 and the match count")
    figures = {}
    for label, filters in cases.items():
        figures[label] = measure(lambda f=filters: page_two(selectors.public_projects(f)), repeat=5)
        report(label, figures[label])
    old = measure(lambda: page_two(soon_computed_per_project()), repeat=5)
    report("baseline: starting soon, next shift per project", old)
    newest = figures["newest (baseline)"]["p50_ms"]
    for label, f in figures.items():
        print(f"{label:<48} {f['p50_ms'] / newest:8.1f}x newest's time (p50)")
    soon = figures["starting soon (stored next_start)"]["p50_ms"]
    print(
        f"{'starting soon: stored vs computed per project':<48} {old['p50_ms'] / soon:8.1f}x faster"
    )
