"""Writes: a city admin creates and edits the city's wage tables (one per year) and their rates.

Every write checks the actor, checks every value (a wage is a positive amount of at most two
decimals, a rate is for a main category, a year has one table per city), changes everything
or nothing in one transaction, and leaves an audit entry (`wages.table_created`,
`wages.table_updated`) with the rates as they were and as they became.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from gongyi import permissions
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.core.page_cache import bump_cache_version
from gongyi.projects.models import Category
from gongyi.regions.models import Region
from gongyi.value.models import (
    DEFAULT_OCCUPATION,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_WAGE,
    WageRate,
    WageTable,
)

# Part of the public value page's cache key: a changed table is seen at once.
TABLES_VERSION_KEY = "value:tables"
MAX_OCCUPATION = WageRate._meta.get_field("occupation").max_length
MAX_SOURCE = WageTable._meta.get_field("source").max_length


@dataclass(frozen=True)
class RateIn:
    """One row of the rates: a blank occupation and wage mean "use the default"."""

    category_id: int
    occupation: str = ""
    hourly_wage: Decimal | None = None


def check_wage(value, *, field: str) -> Decimal:
    """A positive amount in yuan with at most two decimals, below the column's limit."""
    try:
        wage = Decimal(str(value)).normalize() if value is not None else None
    except (InvalidOperation, ValueError):
        wage = None
    if wage is None or not wage.is_finite():
        raise ServiceError("wage_invalid", _("Enter an hourly wage in yuan."), field=field)
    if wage <= 0:
        raise ServiceError(
            "wage_not_positive", _("An hourly wage must be more than 0 yuan."), field=field
        )
    if wage > MAX_WAGE:
        raise ServiceError(
            "wage_too_high",
            _("An hourly wage must be at most %(max)s yuan.") % {"max": MAX_WAGE},
            field=field,
        )
    if wage != wage.quantize(Decimal("0.01")):
        raise ServiceError(
            "wage_invalid", _("An hourly wage has at most two decimals (fen)."), field=field
        )
    return wage.quantize(Decimal("0.01"))


def _check_text(value: str, *, field: str, limit: int, required: bool, label) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ServiceError("required", _("%(label)s is required.") % {"label": label}, field=field)
    if len(text) > limit:
        raise ServiceError(
            "too_long",
            _("%(label)s has at most %(limit)d characters.") % {"label": label, "limit": limit},
            field=field,
        )
    return text


def _check_year(year) -> int:
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ServiceError(
            "year_invalid",
            _("The year must be between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field="year",
        )
    return year


def _check_rates(rates) -> dict[int, tuple[str, Decimal]]:
    """{category id: (occupation, wage)} of the rows that are filled in."""
    rates = list(rates or [])
    ids = [r.category_id for r in rates]
    if len(ids) != len(set(ids)):
        raise ServiceError(
            "category_repeated", _("Each main category has at most one rate."), field="rates"
        )
    found = {c.pk: c for c in Category.objects.filter(pk__in=ids)}
    checked = {}
    for rate in rates:
        category = found.get(rate.category_id)
        if category is None:
            raise ServiceError("category_invalid", _("No such service category."), field="rates")
        if category.parent_id is not None:
            raise ServiceError(
                "category_not_main",
                _("%(name)s is not a main category: wages are set per main category.")
                % {"name": category.label},
                field="rates",
            )
        occupation = (rate.occupation or "").strip()
        if not occupation and rate.hourly_wage in (None, ""):
            continue  # blank row: the table's default applies
        if not occupation:
            raise ServiceError(
                "occupation_required",
                _("%(name)s: give the occupation as well as the wage.") % {"name": category.label},
                field="rates",
            )
        occupation = _check_text(
            occupation, field="rates", limit=MAX_OCCUPATION, required=True, label=_("Occupation")
        )
        if rate.hourly_wage in (None, ""):
            raise ServiceError(
                "wage_required",
                _("%(name)s: give the hourly wage as well as the occupation.")
                % {"name": category.label},
                field="rates",
            )
        try:
            wage = check_wage(rate.hourly_wage, field="rates")
        except ServiceError as error:
            raise ServiceError(
                error.code, f"{category.label}: {error.message}", field="rates"
            ) from error
        checked[category.pk] = (occupation, wage)
    return checked


def _rates_of(table: WageTable) -> dict[str, list[str]]:
    return {
        str(r.category_id): [r.occupation, str(r.hourly_wage)]
        for r in table.rates.order_by("category_id")
    }


def _write_rates(table: WageTable, rates: dict[int, tuple[str, Decimal]]) -> None:
    table.rates.exclude(category_id__in=list(rates)).delete()
    existing = {r.category_id: r for r in table.rates.all()}
    for category_id, (occupation, wage) in rates.items():
        rate = existing.get(category_id)
        if rate is None:
            WageRate.objects.create(
                table=table, category_id=category_id, occupation=occupation, hourly_wage=wage
            )
        elif (rate.occupation, rate.hourly_wage) != (occupation, wage):
            rate.occupation, rate.hourly_wage = occupation, wage
            rate.save(update_fields=["occupation", "hourly_wage"])


def _tables_changed() -> None:
    bump_cache_version(TABLES_VERSION_KEY)


def _duplicate(year: int) -> ServiceError:
    return ServiceError(
        "duplicate_year",
        _("This city already has a wage table for %(year)d: edit that one.") % {"year": year},
        field="year",
    )


def create_table(
    *,
    actor,
    city: Region,
    year: int,
    default_wage,
    source: str = "",
    default_occupation: str = DEFAULT_OCCUPATION,
    rates: list[RateIn] | None = None,
    copy_previous: bool = False,
) -> WageTable:
    """A new table of the city for `year`. With `copy_previous`, the rates of the city's latest
    earlier table are copied (rates given explicitly win over copied ones)."""
    require_allowed(permissions.can_manage_wages(actor, city))
    if city.level != Region.Level.CITY:
        raise ServiceError("not_a_city", _("Wage tables are kept per city."), field="city")
    year = _check_year(year)
    fields = _table_fields(source, default_occupation, default_wage)
    checked = _check_rates(rates)
    with transaction.atomic():
        if WageTable.objects.filter(city=city, year=year).exists():
            raise _duplicate(year)
        copied = {}
        if copy_previous:
            previous = WageTable.objects.filter(city=city, year__lt=year).order_by("-year").first()
            if previous is None:
                raise ServiceError(
                    "nothing_to_copy",
                    _("This city has no earlier wage table to copy the rates from."),
                    field="copy_previous",
                )
            copied = {r.category_id: (r.occupation, r.hourly_wage) for r in previous.rates.all()}
        try:
            with transaction.atomic():
                table = WageTable.objects.create(city=city, year=year, updated_by=actor, **fields)
        except IntegrityError:  # the same year created at the same moment
            raise _duplicate(year) from None
        _write_rates(table, {**copied, **checked})
        audit_log(
            actor=actor,
            action="wages.table_created",
            target=table,
            city=city.code,
            year=year,
            source=table.source,
            default_occupation=table.default_occupation,
            default_wage=str(table.default_wage),
            rates=_rates_of(table),
        )
        transaction.on_commit(_tables_changed)
    return table


def _table_fields(source, default_occupation, default_wage) -> dict:
    return {
        "source": _check_text(
            source, field="source", limit=MAX_SOURCE, required=False, label=_("Source")
        ),
        "default_occupation": _check_text(
            default_occupation,
            field="default_occupation",
            limit=MAX_OCCUPATION,
            required=True,
            label=_("Default occupation"),
        ),
        "default_wage": check_wage(default_wage, field="default_wage"),
    }


def update_table(
    *,
    actor,
    table: WageTable,
    default_wage,
    source: str = "",
    default_occupation: str = DEFAULT_OCCUPATION,
    rates: list[RateIn],
) -> WageTable:
    """Change a table's source, default occupation and wage, and replace its rates (a main
    category left out, or left blank, falls back to the default)."""
    require_allowed(permissions.can_manage_wages(actor, table.city))
    fields = _table_fields(source, default_occupation, default_wage)
    checked = _check_rates(rates)
    with transaction.atomic():
        table = WageTable.objects.select_for_update().get(pk=table.pk)
        before = {
            "source": table.source,
            "default_occupation": table.default_occupation,
            "default_wage": str(table.default_wage),
            "rates": _rates_of(table),
        }
        for name, value in fields.items():
            setattr(table, name, value)
        table.updated_by = actor
        table.save()
        _write_rates(table, checked)
        audit_log(
            actor=actor,
            action="wages.table_updated",
            target=table,
            city=table.city.code,
            year=table.year,
            before=before,
            after={
                "source": table.source,
                "default_occupation": table.default_occupation,
                "default_wage": str(table.default_wage),
                "rates": _rates_of(table),
            },
        )
        transaction.on_commit(_tables_changed)
    return table
