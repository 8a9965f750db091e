"""API router of dashboard (mounted in gongyi/api.py at /api/v1/dashboard).

Thin: the same stored snapshot as the pages (`selectors.snapshot_for`), never the ledger.
"""

from datetime import date, datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from gongyi.core.api_types import errors
from gongyi.dashboard import selectors, services
from gongyi.dashboard.models import DashboardSnapshot
from gongyi.dashboard.tables import hours

router = Router()

RegionCode = Annotated[
    str,
    Field(
        min_length=1,
        max_length=12,
        description="A city's or a district's code (GB/T 2260, e.g. 31 or 310101).",
    ),
]


class DashboardQuery(Schema):
    region: RegionCode


class DashboardRefreshIn(Schema):
    region: RegionCode


class DashboardRegionOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 city, 2 district.")
    city_code: str


class DashboardCountOut(Schema):
    this_year: int
    total: int


class DashboardVolunteersOut(Schema):
    total: int = Field(description="Registered volunteers whose home is in the region.")
    this_year: int = Field(description="Of them, registered this year.")
    without_district: int = Field(
        description="City only: counted in the city but in no district (home unknown or "
        "only the city)."
    )


class DashboardHoursOut(Schema):
    this_year: float = Field(description="Service hours this year (one decimal).")
    total: float = Field(description="Service hours, all time (one decimal).")
    this_year_minutes: int
    total_minutes: int


class DashboardMonthOut(Schema):
    month: int
    hours: float
    signups: int
    new_volunteers: int


class DashboardCategoryOut(Schema):
    code: str
    name: str
    name_en: str
    hours_this_year: float
    hours: float


class DashboardDistrictOut(Schema):
    code: str
    name: str
    hours_this_year: float
    hours: float


class DashboardAgeBandOut(Schema):
    band: str = Field(description="under_18, 18_35, 36_45, 46_59, 60_plus or unknown.")
    male: int
    female: int
    unknown: int


class DashboardValueOut(Schema):
    this_year: str | None = Field(description="Yuan, two decimals.")
    total: str | None


class DashboardTrafficDayOut(Schema):
    day: date
    visits: int
    peak: int
    peak_minute: datetime | None


class DashboardTrafficOut(Schema):
    visits: int = Field(description="Page views of the last 30 days.")
    peak: int = Field(description="Most concurrent visitors in one minute.")
    peak_minute: datetime | None
    days: list[DashboardTrafficDayOut]


class DashboardOut(Schema):
    region: DashboardRegionOut
    computed_at: datetime
    year: int
    volunteers: DashboardVolunteersOut
    active_volunteers: int = Field(
        description="Distinct volunteers with an effective record in the last 12 months."
    )
    organisations: int = Field(description="Verified organisations.")
    projects: DashboardCountOut
    signups: DashboardCountOut
    hours: DashboardHoursOut
    months: list[DashboardMonthOut]
    categories: list[DashboardCategoryOut]
    districts: list[DashboardDistrictOut] = Field(
        description="A city's districts (empty for a district)."
    )
    age_bands: list[DashboardAgeBandOut]
    value: DashboardValueOut | None = Field(
        description="Economic value; null without a wage table."
    )
    traffic: DashboardTrafficOut


def dashboard_out(snapshot: DashboardSnapshot) -> dict:
    data = snapshot.data
    by_month = (data["minutes_by_month"], data["signups_by_month"], data["new_volunteers_by_month"])
    return {
        "region": data["region"],
        "computed_at": snapshot.computed_at,
        "year": data["year"],
        "volunteers": data["volunteers"],
        "active_volunteers": data["active_volunteers"],
        "organisations": data["organisations"],
        "projects": data["projects"],
        "signups": data["signups"],
        "hours": {
            "this_year": hours(data["hours"]["this_year_minutes"]),
            "total": hours(data["hours"]["total_minutes"]),
            "this_year_minutes": data["hours"]["this_year_minutes"],
            "total_minutes": data["hours"]["total_minutes"],
        },
        "months": [
            {
                "month": m,
                "hours": hours(by_month[0].get(str(m))),
                "signups": by_month[1].get(str(m), 0),
                "new_volunteers": by_month[2].get(str(m), 0),
            }
            for m in range(1, 13)
        ],
        "categories": [
            {
                **row,
                "hours": hours(row["minutes"]),
                "hours_this_year": hours(row["minutes_this_year"]),
            }
            for row in data["categories"]
        ],
        "districts": [
            {
                **row,
                "hours": hours(row["minutes"]),
                "hours_this_year": hours(row["minutes_this_year"]),
            }
            for row in data["districts"]
        ],
        "age_bands": [
            {"band": r["band"], "male": r["M"], "female": r["F"], "unknown": r["unknown"]}
            for r in data["age_gender"]
        ],
        "value": data["value"],
        "traffic": data["traffic"],
    }


def _region(code: str):
    region = selectors.dashboard_region(code)
    if region is None:
        raise Http404
    return region


@router.get(
    "",
    auth=None,
    response={200: DashboardOut, **errors(404, 422)},
    summary="The dashboard figures of a city or a district (public)",
    description="Read from the stored snapshot, refreshed every minute (and computed at once "
    "when older than ten minutes). Unknown region, or a street or community: 404.",
)
def dashboard(request: HttpRequest, query: Query[DashboardQuery]):
    return dashboard_out(selectors.snapshot_for(_region(query.region)))


@router.post(
    "/refresh",
    response={200: DashboardOut, **errors(401, 403, 404, 422)},
    summary="Recompute a dashboard now (the city admin, or the district's admin)",
)
def refresh(request: HttpRequest, data: DashboardRefreshIn):
    region = _region(data.region)
    return dashboard_out(services.refresh_now(actor=request.user, region=region))
