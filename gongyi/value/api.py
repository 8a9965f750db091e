"""API router of value (mounted in gongyi/api.py at /api/v1/value).

Thin: the same selectors and services as the pages. The figures and the wage tables are
public; creating and changing a wage table is the city admin's (of that city). Money is sent
as decimal strings in yuan ("127.50"), rounded half-up to the cent once, at the end; `null`
when the hours have no wage table yet.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema, Status

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.core.api_types import RowId, errors
from gongyi.core.errors import NotFound
from gongyi.orgs.models import Organisation
from gongyi.projects.selectors import PUBLIC_STATUSES, visible_project
from gongyi.regions.models import Region
from gongyi.regions.selectors import region_by_code
from gongyi.value import selectors, services
from gongyi.value.models import FIRST_YEAR, LAST_YEAR, MAX_WAGE, MIN_WAGE

router = Router()

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
RegionCode = Annotated[str, Field(min_length=1, max_length=12, pattern=r"^[0-9A-Za-z]+$")]
CityCode = Annotated[
    str, Path(description="The city's code, e.g. 5101 (Chengdu)", pattern=r"^[0-9A-Za-z]{1,12}$")
]
YearPath = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
ProjectNumber = Annotated[str, Path(description="The project number", max_length=32)]
Wage = Annotated[Decimal, Field(ge=MIN_WAGE, le=MAX_WAGE, max_digits=7, decimal_places=2)]
METHOD = (
    "ILO replacement-cost method: value = Σ over (year, main category) of hours × the hourly "
    "wage of the occupation that does that kind of work, from the city's wage table of that "
    "year (else its latest earlier table, else its earliest later one); categories without "
    "their own rate use the table's default (community and social-service workers). Exact "
    "until shown; totals rounded half-up to 0.01 yuan once."
)


# --- schemas --------------------------------------------------------------------------------


class ValueRegionOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 city, 2 district")


class ValueRowOut(Schema):
    year: int
    city: str
    category_id: int
    category: str
    occupation: str = Field(description="Empty when there is no wage table.")
    hourly_wage: str | None
    is_default: bool = Field(description="Valued at the table's default wage.")
    minutes: int
    hours: str
    value: str | None = Field(description="Yuan (this row, rounded); null: no wage table.")
    table_year: int | None = Field(description="The year of the wage table used.")
    table_choice: str = Field(description="exact, earlier, later, or empty (no table).")


class ValueFiguresOut(Schema):
    minutes: int
    hours: str
    value: str | None = Field(description="Yuan; null when no hour has a wage table.")
    unvalued_minutes: int = Field(description="Minutes in a city without any wage table.")


class ValueTableUseOut(Schema):
    city: str
    year: int
    source: str
    choice: str
    for_years: list[int]


class ValueOut(Schema):
    method: str
    this_year: int
    this_year_figures: ValueFiguresOut
    all_time: ValueFiguresOut
    year: int | None = Field(description="The year the rows are limited to (null: all years).")
    shown: ValueFiguresOut = Field(description="The figures of the rows below.")
    rows: list[ValueRowOut]
    tables: list[ValueTableUseOut]


class ValueDistrictOut(ValueFiguresOut):
    code: str
    name: str


class RegionValueOut(ValueOut):
    region: ValueRegionOut
    districts: list[ValueDistrictOut] | None = Field(
        None, description="For a city: each of its districts (null for a district)."
    )


class ProjectValueOut(ValueOut):
    number: str
    title: str


class OrgProjectValueOut(Schema):
    number: str | None = Field(description="null for a project that is no longer public.")
    title: str | None
    minutes: int
    hours: str
    value: str | None


class OrgValueOut(ValueOut):
    id: int
    name: str
    projects: list[OrgProjectValueOut]


class WageRateSchema(Schema):
    category_id: RowId = Field(description="A main category (no parent).")
    occupation: str = Field(..., min_length=1, max_length=services.MAX_OCCUPATION)
    hourly_wage: Wage = Field(description="Yuan per hour, more than 0, at most two decimals.")


class WageRateOut(Schema):
    category_id: int
    category: str
    occupation: str
    hourly_wage: str


class WageTableOut(Schema):
    city: str = Field(description="The city's code.")
    city_name: str
    year: int
    source: str
    default_occupation: str
    default_wage: str
    rates: list[WageRateOut]
    updated_at: datetime


class WageTableChangeIn(Schema):
    source: str = Field("", max_length=services.MAX_SOURCE)
    default_occupation: str = Field(
        services.DEFAULT_OCCUPATION, min_length=1, max_length=services.MAX_OCCUPATION
    )
    default_wage: Wage
    rates: list[WageRateSchema] = Field(
        default_factory=list,
        max_length=500,
        description="Replaces every rate; a main category left out uses the default.",
    )


class WageTableIn(WageTableChangeIn):
    city: RegionCode = Field(description="The city's code.")
    year: Year
    copy_previous: bool = Field(
        False, description="Copy the rates of the latest earlier table (given rates win)."
    )


class ValueQuery(Schema):
    region: RegionCode | None = Field(
        None, description="A city's or district's code; default: the first city."
    )
    year: Year | None = Field(None, description="Limit the rows to one year.")


class WageTablesQuery(Schema):
    city: RegionCode = Field(description="The city's code.")


# --- answers --------------------------------------------------------------------------------


def _money(value) -> str | None:
    return None if value is None else str(value)


def _figures(v: selectors.Valuation) -> dict:
    return {
        "minutes": v.minutes,
        "hours": str(v.hours),
        "value": _money(v.value),
        "unvalued_minutes": v.unvalued_minutes,
    }


def _row(row: selectors.ValueRow) -> dict:
    return {
        "year": row.year,
        "city": row.city.code,
        "category_id": row.category_id,
        "category": row.category,
        "occupation": row.occupation,
        "hourly_wage": _money(row.wage),
        "is_default": row.is_default,
        "minutes": row.minutes,
        "hours": str(row.hours),
        "value": _money(row.value),
        "table_year": row.table.year if row.table else None,
        "table_choice": row.how,
    }


def _value_out(valuation: selectors.Valuation, year: int | None = None) -> dict:
    shown = valuation.for_year(year) if year else valuation
    this_year = selectors.this_year()
    return {
        "method": METHOD,
        "this_year": this_year,
        "this_year_figures": _figures(valuation.for_year(this_year)),
        "all_time": _figures(valuation),
        "year": year,
        "shown": _figures(shown),
        "rows": [_row(r) for r in shown.rows],
        "tables": [
            {
                "city": u.table.city.code,
                "year": u.table.year,
                "source": u.table.source,
                "choice": u.how,
                "for_years": u.years,
            }
            for u in valuation.tables_used()
        ],
    }


def _table_out(table) -> dict:
    return {
        "city": table.city.code,
        "city_name": table.city.name,
        "year": table.year,
        "source": table.source,
        "default_occupation": table.default_occupation,
        "default_wage": str(table.default_wage),
        "rates": [
            {
                "category_id": r.category_id,
                "category": r.category.label,
                "occupation": r.occupation,
                "hourly_wage": str(r.hourly_wage),
            }
            for r in table.rates.all()
        ],
        "updated_at": table.updated_at,
    }


def _rates(data: WageTableChangeIn) -> list[services.RateIn]:
    return [
        services.RateIn(
            category_id=r.category_id, occupation=r.occupation, hourly_wage=r.hourly_wage
        )
        for r in data.rates
    ]


def _city(code: str) -> Region:
    region = region_by_code(code, levels=(Region.Level.CITY,))
    if region is None:
        raise NotFound("not_found", _("No city with this code."))
    return region


# --- figures --------------------------------------------------------------------------------


@router.get(
    "",
    auth=None,
    response={200: RegionValueOut, **errors(404, 422)},
    summary="Economic value of a city's or a district's service hours (public)",
    description=METHOD,
)
def region_value(request: HttpRequest, query: Query[ValueQuery]):
    if query.region:
        region = region_by_code(query.region, levels=(Region.Level.CITY, Region.Level.DISTRICT))
        if region is None:
            raise NotFound("not_found", _("No city or district with this code."))
    else:
        region = selectors.default_region(None)
        if region is None:
            raise NotFound("not_found", _("No city has been set up yet."))
    wages = selectors.Wages()  # the city's tables, read once for the region and its districts
    valuation = selectors.region_value(region, wages=wages)
    districts = None
    if region.level == Region.Level.CITY:
        districts = [
            {"code": d.code, "name": d.name, **_figures(v)}
            for d, v in selectors.district_values(region, wages=wages)
        ]
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        **_value_out(valuation, query.year),
        "districts": districts,
    }


@router.get(
    "/projects/{number}",
    auth=None,
    response={200: ProjectValueOut, **errors(404, 422)},
    summary="Economic value of a project's service hours (public)",
)
def project_value(request: HttpRequest, number: ProjectNumber):
    project = visible_project(user=public_caller(request), number=number)
    return {
        "number": project.number,
        "title": project.title,
        **_value_out(selectors.project_value(project)),
    }


@router.get(
    "/orgs/{org_id}",
    auth=None,
    response={200: OrgValueOut, **errors(404, 422)},
    summary="Economic value of an organisation: the sum of its projects' (public)",
)
def org_value(request: HttpRequest, org_id: RowId):
    org = Organisation.objects.filter(pk=org_id).first()
    if org is None or not permissions.can_see_org(public_caller(request), org):
        raise Http404
    found = selectors.org_value(org)
    projects = []
    for project, valuation in found.projects:
        public = project.status in PUBLIC_STATUSES
        projects.append(
            {
                "number": project.number if public else None,
                "title": project.title if public else None,
                **{k: v for k, v in _figures(valuation).items() if k != "unvalued_minutes"},
            }
        )
    return {"id": org.pk, "name": org.name, **_value_out(found.total), "projects": projects}


# --- wage tables ----------------------------------------------------------------------------


@router.get(
    "/wages",
    auth=None,
    response={200: list[WageTableOut], **errors(404, 422)},
    summary="A city's wage tables, newest first (public)",
)
def wage_tables(request: HttpRequest, query: Query[WageTablesQuery]):
    city = _city(query.city)
    return [_table_out(t) for t in reversed(selectors.city_tables(city))]


@router.get(
    "/wages/{city}/{year}",
    auth=None,
    response={200: WageTableOut, **errors(404, 422)},
    summary="A city's wage table of one year (public)",
)
def wage_table(request: HttpRequest, city: CityCode, year: YearPath):
    table = selectors.table_of(_city(city), year)
    if table is None:
        raise NotFound("not_found", _("This city has no wage table for this year."))
    return _table_out(table)


@router.post(
    "/wages",
    response={201: WageTableOut, **errors(400, 401, 403, 404, 422)},
    summary="Create a city's wage table for a year (city admin of that city)",
    description="400 with code `duplicate_year` when the year has a table already; "
    "`category_not_main` for a subcategory; `nothing_to_copy` when `copy_previous` finds no "
    "earlier table.",
)
def create_wage_table(request: HttpRequest, data: WageTableIn):
    city = _city(data.city)
    permissions.require(permissions.can_manage_wages(request.user, city))
    table = services.create_table(
        actor=request.user,
        city=city,
        year=data.year,
        source=data.source,
        default_occupation=data.default_occupation,
        default_wage=data.default_wage,
        rates=_rates(data),
        copy_previous=data.copy_previous,
    )
    return Status(201, _table_out(selectors.table_of(city, table.year)))


@router.put(
    "/wages/{city}/{year}",
    response={200: WageTableOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a city's wage table: source, default and every rate (city admin)",
)
def change_wage_table(
    request: HttpRequest, city: CityCode, year: YearPath, data: WageTableChangeIn
):
    found_city = _city(city)
    permissions.require(permissions.can_manage_wages(request.user, found_city))
    table = selectors.table_of(found_city, year)
    if table is None:
        raise NotFound("not_found", _("This city has no wage table for this year."))
    services.update_table(
        actor=request.user,
        table=table,
        source=data.source,
        default_occupation=data.default_occupation,
        default_wage=data.default_wage,
        rates=_rates(data),
    )
    return _table_out(selectors.table_of(found_city, year))
