"""Figures the dashboard takes from other apps: economic value (gongyi.value) and the
platform's own traffic (gongyi.traffic). Economic value is None when the region's hours have
no wage table, so the dashboard shows "not available" rather than a made-up figure."""

from datetime import date, timedelta
from decimal import Decimal

from gongyi.regions.models import Region
from gongyi.traffic import selectors as traffic_selectors
from gongyi.value import selectors as value

TRAFFIC_DAYS = 30


def economic_value(region: Region, year: int, *, wages: value.Wages | None = None) -> dict | None:
    """{"this_year": "123.45", "total": "678.90"} in yuan (strings: exact decimals in JSON;
    None where hours have no wage table), from `gongyi.value.selectors.region_value`; None
    when the region's hours have no wage table at all. `wages`: the city's tables, when the
    caller values several regions of the city (`value.selectors.Wages`)."""
    valuation = value.region_value(region, wages=wages)
    if valuation.minutes and not valuation.has_tables:
        return None
    return {"this_year": _yuan(valuation.for_year(year).value), "total": _yuan(valuation.value)}


def _yuan(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(Decimal("0.01")))


def traffic(today: date) -> dict:
    """Page views of the last 30 days (today included) and their busiest minute: the same
    for every region (the platform's own traffic), so a refresh of all regions reads it once."""
    start = today - timedelta(days=TRAFFIC_DAYS - 1)
    days = traffic_selectors.visits_by_day(start, today)
    totals = traffic_selectors.totals_of(start, today, days)
    return {
        "days": [
            {
                "day": d.day.isoformat(),
                "visits": d.visits,
                "peak": d.peak_concurrent,
                "peak_minute": d.peak_minute.isoformat() if d.peak_minute else None,
            }
            for d in days
        ],
        "visits": totals.visits,
        "peak": totals.peak_concurrent,
        "peak_minute": totals.peak_minute.isoformat() if totals.peak_minute else None,
    }
