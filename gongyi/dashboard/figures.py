"""Figures the dashboard takes from other apps: economic value (gongyi.value) and the
platform's own traffic (gongyi.traffic). Each adapter answers None when the app cannot give
its figure, so the dashboard shows "not available" rather than failing."""

from datetime import date, timedelta
from decimal import Decimal

from gongyi.regions.models import Region

TRAFFIC_DAYS = 30


def economic_value(region: Region, year: int) -> dict | None:
    """{"this_year": "123.45", "total": "678.90"} in yuan (strings: exact decimals in JSON;
    None where hours have no wage table), from `gongyi.value.selectors.region_value`; None
    when the region's hours have no wage table at all."""
    try:
        from gongyi.value import selectors as value
    except ImportError:  # the value app is optional for the dashboard
        return None
    valuation = value.region_value(region)
    if valuation.minutes and not valuation.has_tables:
        return None
    return {"this_year": _yuan(valuation.for_year(year).value), "total": _yuan(valuation.value)}


def _yuan(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(Decimal("0.01")))


def traffic(today: date) -> dict:
    """Page views of the last 30 days (today included) and their busiest minute."""
    from gongyi.traffic import selectors as traffic_selectors

    start = today - timedelta(days=TRAFFIC_DAYS - 1)
    days = traffic_selectors.visits_by_day(start, today)
    totals = traffic_selectors.totals(start, today)
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
