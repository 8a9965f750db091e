"""Reads of the regions app: the tree, one region, and checks other apps' forms use.

`check_region(region, level=..., within=...)` is the one check that a region picked in a form
(or sent to the API) is of the right level and inside the right city or district:

    from gongyi.regions.selectors import check_region
    community = check_region(data["community"], level=Region.Level.COMMUNITY, within=district)

It raises `ServiceError` (code `region_invalid`) with a message in the user's language.
"""

import re

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region

MAX_CODE_LENGTH = Region._meta.get_field("code").max_length
CODE_RE = re.compile(rf"[0-9A-Za-z]{{1,{MAX_CODE_LENGTH}}}")


def cities() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.CITY).order_by("code")


def default_city() -> Region | None:
    """The city pages show when none is asked for: the first with verified organisations
    (the one the platform serves), else the first city."""
    from gongyi.orgs.models import Organisation

    with_data = Organisation.objects.filter(status=Organisation.Status.VERIFIED).values(
        "district__city"
    )
    return cities().filter(pk__in=with_data).first() or cities().first()


def cities_with_districts() -> list[dict]:
    """[{"city": city, "districts": [...]}] in code order, in one query: region pickers."""
    by_city: dict[int, dict] = {}
    districts: list[Region] = []
    for region in Region.objects.filter(
        level__in=(Region.Level.CITY, Region.Level.DISTRICT)
    ).order_by("code"):
        if region.level == Region.Level.CITY:
            by_city[region.pk] = {"city": region, "districts": []}
        else:
            districts.append(region)
    for district in districts:
        if district.parent_id in by_city:
            by_city[district.parent_id]["districts"].append(district)
    return list(by_city.values())


def districts_of(city: Region) -> QuerySet[Region]:
    """The city's districts, GB/T 2260 ones first, then its functional zones (codes `5101A1`…)."""
    return Region.objects.filter(level=Region.Level.DISTRICT, parent=city).order_by("code")


def children_of(region: Region) -> QuerySet[Region]:
    """The region's direct subdivisions, each with `child_count` (how many it has in turn)."""
    return (
        Region.objects.filter(parent=region)
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def region_by_code(code: str | None, *, levels=None) -> Region | None:
    """The region with this code, or None (also for empty or over-long input). `levels`: the
    levels allowed (e.g. `(Region.Level.CITY,)`); a region of another level is None too."""
    code = (code or "").strip()
    # Codes are ASCII letters and digits; anything else (a NUL byte, say, which PostgreSQL
    # refuses outright) cannot match, so it is not even asked for.
    if not CODE_RE.fullmatch(code):
        return None
    found = Region.objects.select_related("parent", "city").filter(code=code)
    if levels is not None:
        found = found.filter(level__in=list(levels))
    return found.first()


def region_by_key(key: str | None, *, by: str = "code") -> Region | None:
    """A region by its code (`by="code"`) or by its primary key (`by="pk"`, as forms post it)."""
    if by != "pk":
        return region_by_code(key)
    key = (key or "").strip()
    if not (key.isascii() and key.isdigit()) or len(key) > 18:
        return None
    return Region.objects.select_related("parent", "city").filter(pk=int(key)).first()


def ancestors(region: Region) -> list[Region]:
    """From the city down to the region's parent (empty for a city)."""
    chain, node = [], region.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def city_of(region: Region) -> Region:
    """The region's city (a city is its own, whether or not its `city` field says so)."""
    if region.level == Region.Level.CITY:
        return region
    return region.city if region.city_id else ancestors(region)[0]


def is_within(region: Region, ancestor: Region) -> bool:
    """Whether `region` is `ancestor` or lies inside it."""
    if region.pk == ancestor.pk:
        return True
    if ancestor.level == Region.Level.CITY and region.city_id is not None:
        return region.city_id == ancestor.pk
    return any(node.pk == ancestor.pk for node in ancestors(region))


def check_region(region: Region | None, *, level: int, within: Region | None = None) -> Region:
    """The region itself if it is of `level` and inside `within`; ServiceError otherwise."""
    if region is None:
        raise ServiceError("region_invalid", _("Choose a region."))
    if region.level != level:
        raise ServiceError(
            "region_invalid",
            _("%(name)s is not a %(level)s.")
            % {"name": region.name, "level": Region.Level(level).label},
        )
    if within is not None and not is_within(region, within):
        raise ServiceError(
            "region_invalid",
            _("%(name)s is not in %(place)s.") % {"name": region.name, "place": within.name},
        )
    return region


def check_region_chain(*links: tuple[str, Region | None, int]) -> Region | None:
    """A chain picked top-down in cascading selects, as `(field, region, level)` links:

        check_region_chain(("district", d, L.DISTRICT), ("street", s, L.STREET), ...)

    Each region chosen must be of its level and inside the nearest one chosen above it (so a
    community posted without its street is still bounded by the district). The first wrong
    link raises `ServiceError` naming its field; returns the most specific region chosen.
    """
    above = None
    for field, region, level in links:
        if region is None:
            continue
        try:
            check_region(region, level=level, within=above)
        except ServiceError as exc:
            raise ServiceError(exc.code, exc.message, field=field) from exc
        above = region
    return above


def descendant_counts(region: Region) -> dict[int, int]:
    """How many regions of each level lie under this one (for a city: districts, streets, …)."""
    counts, lookup = {}, "parent"
    for level in range(region.level + 1, Region.Level.COMMUNITY + 1):
        counts[level] = Region.objects.filter(**{lookup: region}).count()
        lookup = f"parent__{lookup}"
    return counts


def regions_below(region: Region, *, level: int | str | None = None) -> QuerySet[Region]:
    """Regions of `level` (default: the next one down) inside `region`; none for a bad level."""
    try:
        level = int(level) if level not in (None, "") else region.level + 1
    except (TypeError, ValueError):
        return Region.objects.none()
    if not region.level < level <= Region.Level.COMMUNITY:
        return Region.objects.none()
    lookup = "__".join(["parent"] * (level - region.level))
    return Region.objects.filter(level=level, **{lookup: region}).order_by("code")
