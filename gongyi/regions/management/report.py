"""What the region commands print: one line of counts, in the active language."""

from django.utils.translation import gettext as _

from gongyi.regions.models import Region
from gongyi.regions.services import LoadResult


def summary(result: LoadResult) -> str:
    level = Region.Level
    return _(
        "Regions: %(cities)d cities, %(districts)d districts, %(streets)d streets, "
        "%(communities)d communities (created %(created)d, updated %(updated)d, "
        "unchanged %(unchanged)d)."
    ) % {
        "cities": result.total(level.CITY),
        "districts": result.total(level.DISTRICT),
        "streets": result.total(level.STREET),
        "communities": result.total(level.COMMUNITY),
        "created": sum(result.created.values()),
        "updated": sum(result.updated.values()),
        "unchanged": sum(result.unchanged.values()),
    }
