"""API of the regions app, mounted at /api/v1/regions: public, read-only."""

from django.http import Http404
from ninja import Router, Schema

from gongyi.core.api_types import errors
from gongyi.regions import selectors
from gongyi.regions.models import Region

router = Router()


class RegionOut(Schema):
    code: str
    name: str
    level: int
    level_name: str
    parent: str | None
    city: str | None
    is_functional_zone: bool
    full_name: str


def _out(region: Region, *, parent: Region | None = None, parent_out: dict | None = None) -> dict:
    """One region; children of one region pass their parent's output to skip the queries."""
    if parent_out is not None:
        city, full_name = parent_out["city"], parent_out["full_name"] + region.name
    else:
        parent = region.parent
        city_region = region if region.level == Region.Level.CITY else region.city
        city, full_name = (city_region.code if city_region else None), region.full_name()
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_name": str(region.get_level_display()),
        "parent": parent.code if parent else None,
        "city": city,
        "is_functional_zone": region.is_functional_zone,
        "full_name": full_name,
    }


def _get(code: str) -> Region:
    region = selectors.region_by_code(code)
    if region is None:
        raise Http404
    return region


@router.get("/cities", auth=None, response=list[RegionOut], summary="List cities")
def list_cities(request):
    return [_out(city) for city in selectors.cities()]


@router.get(
    "/{code}",
    auth=None,
    response={200: RegionOut, **errors(404)},
    summary="One region by its code",
)
def get_region(request, code: str):
    return _out(_get(code))


@router.get(
    "/{code}/children",
    auth=None,
    response={200: list[RegionOut], **errors(404)},
    summary="The direct subdivisions of a region",
)
def list_children(request, code: str):
    region = _get(code)
    region_out = _out(region)
    return [
        _out(child, parent=region, parent_out=region_out) for child in selectors.children_of(region)
    ]
