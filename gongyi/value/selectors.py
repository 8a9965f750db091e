"""Reads: which wage table values a year's hours, and the economic value of a region, a
project and an organisation, by the ILO replacement-cost method:

    value = Σ over (year, main category) of hours × hourly wage of the occupation doing that work

Hours come from the hour tallies (`gongyi.stats.selectors`), never from the ledger. Wages come
from the city's wage table of the year the hours were served; a city without a table of that
year uses its latest earlier table, else its earliest later one; a city with no table at all
has hours but no value ("no wage table yet": a wage is never invented).

Money is exact until it is shown: a row's exact value is minutes × wage-in-cents / 60, and
every total is the exact sum of its rows rounded half-up to 0.01 yuan once, at the end (so a
total may differ by a cent from the sum of its rounded rows; figures of the same hours agree).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from gongyi.core.clock import local_today
from gongyi.projects.models import Category, Project
from gongyi.regions.models import Region
from gongyi.regions.selectors import (
    cities_with_districts,
    city_of,
    default_city,
    districts_of,
    region_by_code,
)
from gongyi.stats import selectors as tallies
from gongyi.value.models import WageRate, WageTable

Kind = tallies.Kind

EXACT, EARLIER, LATER = "exact", "earlier", "later"
HOW_LABELS = {
    EXACT: _("the table of that year"),
    EARLIER: _("no table of that year: the latest earlier table"),
    LATER: _("no table of that year: the earliest later table"),
}
CENT = Decimal("0.01")


# --- money ------------------------------------------------------------------------------------


def wage_cents(wage: Decimal) -> int:
    """A wage of at most two decimals, in whole cents (exact)."""
    return int((wage * 100).to_integral_value())


def yuan(minute_cents: int) -> Decimal:
    """Minutes × cents per hour → yuan, rounded half-up to the cent (integers: exact)."""
    sign = -1 if minute_cents < 0 else 1
    cents = (abs(minute_cents) * 2 + 60) // 120  # round(x / 60) half-up
    return (Decimal(sign * cents) / 100).quantize(CENT)


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)


def this_year() -> int:
    return local_today().year


# --- wage tables ------------------------------------------------------------------------------


def city_tables(city: Region) -> list[WageTable]:
    """The city's wage tables, oldest first, each with its rates."""
    return list(
        WageTable.objects.filter(city=city)
        .select_related("city", "updated_by")
        .prefetch_related("rates__category")
        .order_by("year")
    )


def pick_table(tables: list[WageTable], year: int) -> tuple[WageTable | None, str]:
    """(table, how) for hours served in `year`, from one city's tables; (None, "") if none."""
    exact = [t for t in tables if t.year == year]
    if exact:
        return exact[0], EXACT
    earlier = [t for t in tables if t.year < year]
    if earlier:
        return max(earlier, key=lambda t: t.year), EARLIER
    later = [t for t in tables if t.year > year]
    if later:
        return min(later, key=lambda t: t.year), LATER
    return None, ""


def table_of(city: Region, year: int) -> WageTable | None:
    """The city's table of exactly this year (for editing), or None."""
    return (
        WageTable.objects.filter(city=city, year=year)
        .select_related("city", "updated_by")
        .prefetch_related("rates__category")
        .first()
    )


def main_categories():
    """Every main category (in use or not: old hours may be in a retired one)."""
    return Category.objects.filter(parent__isnull=True).order_by("sort_order", "code")


def rate_rows(table: WageTable | None) -> list[dict]:
    """One row per main category: its rate in the table, or blank (the default applies)."""
    rates = {r.category_id: r for r in table.rates.all()} if table else {}
    rows = []
    for category in main_categories():
        rate = rates.get(category.pk)
        rows.append(
            {
                "category": category,
                "occupation": rate.occupation if rate else "",
                "hourly_wage": rate.hourly_wage if rate else None,
            }
        )
    return rows


class Wages:
    """Tables per city and category names, each loaded once: per valuation, or shared by
    several valuations of a city (pass one `Wages()` to each, e.g. a page's city and its
    districts, or a dashboard refresh of a city and its districts)."""

    def __init__(self):
        self.tables: dict[int, list[WageTable]] = {}
        self.categories: dict[int, Category] = {}
        self._rates: dict[int, dict[int, WageRate]] = {}

    def tables_of(self, city: Region) -> list[WageTable]:
        """`city_tables(city)`, read once."""
        if city.pk not in self.tables:
            self.tables[city.pk] = city_tables(city)
        return self.tables[city.pk]

    def load_categories(self, ids) -> None:
        missing = set(ids) - set(self.categories)
        if missing:
            self.categories.update(Category.objects.in_bulk(missing))

    def rates_of(self, table: WageTable) -> dict[int, WageRate]:
        """{category_id: rate} of a table, built once per table (not once per row)."""
        if table.pk not in self._rates:
            self._rates[table.pk] = {r.category_id: r for r in table.rates.all()}
        return self._rates[table.pk]

    def row(self, city: Region, year: int, category_id: int, minutes: int) -> ValueRow:
        table, how = pick_table(self.tables_of(city), year)
        category = self.categories.get(category_id)
        occupation, wage, is_default = "", None, False
        if table is not None:
            rates = self.rates_of(table)
            # A subcategory (not expected: projects carry main categories) takes its parent's.
            rate = rates.get(category_id) or (
                rates.get(category.parent_id) if category and category.parent_id else None
            )
            if rate is not None:
                occupation, wage = rate.occupation, rate.hourly_wage
            else:
                occupation, wage, is_default = table.default_occupation, table.default_wage, True
        return ValueRow(
            year=year,
            category_id=category_id,
            category=category.label if category else str(category_id),
            sort_key=(category.sort_order, category.code) if category else (9999, ""),
            minutes=minutes,
            city=city,
            table=table,
            how=how,
            occupation=occupation,
            wage=wage,
            is_default=is_default,
        )


# --- valuations -------------------------------------------------------------------------------


@dataclass
class ValueRow:
    year: int
    category_id: int
    category: str
    sort_key: tuple
    minutes: int
    city: Region
    table: WageTable | None
    how: str
    occupation: str
    wage: Decimal | None
    is_default: bool

    @property
    def minute_cents(self) -> int | None:
        return None if self.wage is None else self.minutes * wage_cents(self.wage)

    @property
    def value(self) -> Decimal | None:
        exact = self.minute_cents
        return None if exact is None else yuan(exact)

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def how_label(self) -> str:
        return HOW_LABELS.get(self.how, "")


@dataclass
class TableUse:
    table: WageTable
    how: str
    years: list[int]

    @property
    def how_label(self) -> str:
        return HOW_LABELS.get(self.how, "")


@dataclass
class Valuation:
    """The value of some hours: rows by (year, category) and their exact sums."""

    rows: list[ValueRow] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)

    @property
    def hours(self) -> Decimal:
        return hours(self.minutes)

    @property
    def minute_cents(self) -> int:
        """The exact value (minutes × cents per hour) of the rows that have a wage."""
        return sum(r.minute_cents for r in self.rows if r.minute_cents is not None)

    @property
    def unvalued_minutes(self) -> int:
        """Hours with no wage table in their city (shown, never valued)."""
        return sum(r.minutes for r in self.rows if r.wage is None)

    @property
    def unvalued_hours(self) -> Decimal:
        return hours(self.unvalued_minutes)

    @property
    def value(self) -> Decimal | None:
        """Yuan, rounded once; None when there are hours and none of them has a wage table."""
        if self.unvalued_minutes and all(r.wage is None for r in self.rows):
            return None
        return yuan(self.minute_cents)

    @property
    def has_tables(self) -> bool:
        return any(r.table is not None for r in self.rows)

    @property
    def has_fallback(self) -> bool:
        """Some row's year has no table of its own (valued with a nearby year's)."""
        return any(r.table is not None and r.how != EXACT for r in self.rows)

    @property
    def cities(self) -> list[Region]:
        return list({r.city.pk: r.city for r in self.rows}.values())

    def for_year(self, year: int) -> Valuation:
        return Valuation([r for r in self.rows if r.year == year])

    def tables_used(self) -> list[TableUse]:
        uses: dict[tuple[int, str], TableUse] = {}
        for row in sorted(self.rows, key=lambda r: r.year):
            if row.table is None:
                continue
            use = uses.setdefault((row.table.pk, row.how), TableUse(row.table, row.how, []))
            if row.year not in use.years:
                use.years.append(row.year)
        return sorted(uses.values(), key=lambda u: (u.table.city.code, -u.table.year, u.how))


def _valuation(rows: list[ValueRow]) -> Valuation:
    rows = [r for r in rows if r.minutes]
    rows.sort(key=lambda r: (-r.year, r.city.code, r.sort_key, r.category_id))
    return Valuation(rows)


def region_value(region: Region, *, wages: Wages | None = None) -> Valuation:
    """A city's or a district's hours (where they were served) per year and main category.
    `wages`: tables already loaded (shared with the other valuations of the same city)."""
    if region.level not in (Region.Level.CITY, Region.Level.DISTRICT):
        raise ValueError("economic value is kept for cities and districts")
    minutes = tallies.by_year_and_subject(Kind.CATEGORY, region.pk)
    return _category_valuation(city_of(region), minutes, wages or Wages())


def district_values(city: Region, *, wages: Wages | None = None) -> list[tuple[Region, Valuation]]:
    """Each district of the city with its valuation: the city's tables loaded once (or taken
    from `wages`), every district's hours in one read."""
    wages = wages or Wages()
    districts = list(districts_of(city))
    minutes = tallies.by_region_year_and_subject(Kind.CATEGORY, [d.pk for d in districts])
    return [(d, _category_valuation(city, minutes[d.pk], wages)) for d in districts]


def _category_valuation(city: Region, minutes: dict, wages: Wages) -> Valuation:
    """The valuation of {(year, category_id): minutes} served in the city."""
    wages.load_categories(category for _year, category in minutes)
    return _valuation([wages.row(city, year, cat, total) for (year, cat), total in minutes.items()])


def project_value(project: Project) -> Valuation:
    """A project's hours per year (its PROJECT tallies in its district) at its category's wage."""
    wages = Wages()
    wages.load_categories([project.category_id])
    city = city_of(project.district)
    minutes = tallies.by_year(Kind.PROJECT, project.district_id, subject_id=project.pk)
    return _valuation(
        [wages.row(city, year, project.category_id, total) for year, total in minutes.items()]
    )


@dataclass
class OrgValuation:
    total: Valuation
    projects: list[tuple[Project, Valuation]]  # projects with hours, most valuable first


def org_value(org) -> OrgValuation:
    """An organisation's value: the sum of its projects' values (one query per district)."""
    projects = list(
        Project.objects.filter(organisation=org).select_related("district__city", "district")
    )
    wages = Wages()
    wages.load_categories({p.category_id for p in projects})
    by_district: dict[int, list[Project]] = defaultdict(list)
    for project in projects:
        by_district[project.district_id].append(project)
    per_project: dict[int, list[ValueRow]] = defaultdict(list)
    for district_id, members in by_district.items():
        city = city_of(members[0].district)
        category = {p.pk: p.category_id for p in members}
        minutes = tallies.by_year_and_subject(Kind.PROJECT, district_id, subject_ids=list(category))
        for (year, project_id), total in minutes.items():
            per_project[project_id].append(wages.row(city, year, category[project_id], total))
    valued = [(p, _valuation(per_project[p.pk])) for p in projects if per_project.get(p.pk)]
    valued = [(p, v) for p, v in valued if v.minutes]
    valued.sort(key=lambda pv: (-pv[1].minute_cents, -pv[1].minutes, pv[0].number))
    return OrgValuation(total=_merge(r for _p, v in valued for r in v.rows), projects=valued)


def _merge(rows) -> Valuation:
    """Rows of the same city, year and category added together (same table, same wage)."""
    merged: dict[tuple[int, int, int], ValueRow] = {}
    for row in rows:
        key = (row.city.pk, row.year, row.category_id)
        if key in merged:
            found = merged[key]
            merged[key] = ValueRow(**{**vars(found), "minutes": found.minutes + row.minutes})
        else:
            merged[key] = row
    return _valuation(list(merged.values()))


# --- looking things up ------------------------------------------------------------------------


def value_regions() -> list[Region]:
    """Cities and their districts, for the region picker (city first, then its districts)."""
    return [r for group in cities_with_districts() for r in (group["city"], *group["districts"])]


def default_region(site_district: Region | None) -> Region | None:
    return site_district or default_city()


def city_by_code(code: str) -> Region:
    """A city by its code, or 404."""
    region = region_by_code(code, levels=(Region.Level.CITY,))
    if region is None:
        raise Http404
    return region
