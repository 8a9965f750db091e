"""Public pages of the regions app: the tree of cities and districts, and the options partial.

Nothing here is personal data: every page is public and read-only (GET only).
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongyi.regions import selectors
from gongyi.regions.models import Region


@require_GET
def index(request):
    cities = selectors.cities()
    return render(request, "regions/index.html", {"cities": cities})


@require_GET
def detail(request, code: str):
    region = selectors.region_by_code(code)
    if region is None:
        raise Http404
    counts = selectors.descendant_counts(region)
    context = {
        "region": region,
        "ancestors": selectors.ancestors(region),
        "children": selectors.children_of(region),
        "counts": [(Region.Level(level).label, n) for level, n in counts.items()],
        "child_level": Region.Level(region.level + 1).label if counts else "",
        # Communities are the last level: a column of zeros would say nothing.
        "has_grandchildren": region.level + 2 <= Region.Level.COMMUNITY,
    }
    return render(request, "regions/detail.html", context)


@require_GET
def options(request):
    """`<option>`s of the regions under `parent` (for htmx cascading selects; see widgets.py).

    `parent` is a code, or a primary key with `key=pk`; `from=<name>` reads it from the field of
    that name instead (what htmx sends for a select). `level` defaults to the next level down.
    `clear=<id>,<id>` also empties those selects (the ones further down the cascade).
    Anything invalid gives just the empty option, never an error: the select is simply emptied.
    """
    key = "pk" if request.GET.get("key") == "pk" else "code"
    parent_param = request.GET.get("from") or "parent"
    parent = selectors.region_by_key(request.GET.get(parent_param), by=key)
    regions = selectors.regions_below(parent, level=request.GET.get("level")) if parent else []
    context = {
        "options": [(region.pk if key == "pk" else region.code, region.name) for region in regions],
        "clear": _element_ids(request.GET.get("clear", "")),
    }
    return render(request, "regions/_options.html", context)


def _element_ids(raw: str, *, limit: int = 5) -> list[str]:
    """The element ids in a comma-separated list, keeping only plain ones (ASCII letters, _-)."""
    ids = [part.strip() for part in raw.split(",")][:limit]
    return [i for i in ids if 0 < len(i) <= 100 and all(_id_char(c) for c in i)]


def _id_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c in "_-")
