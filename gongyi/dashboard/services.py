"""Writes of the dashboard: storing the computed snapshot of a region (safe to run twice)."""

from datetime import date

from django.utils import timezone

from gongyi.core.errors import require_allowed
from gongyi.dashboard import figures, selectors
from gongyi.dashboard.models import DashboardSnapshot
from gongyi.regions.models import Region
from gongyi.regions.selectors import cities_with_districts
from gongyi.value.selectors import Wages


def refresh_region(
    *,
    region: Region,
    today: date | None = None,
    active: int | None = None,
    traffic: dict | None = None,
    wages: Wages | None = None,
) -> DashboardSnapshot:
    """Compute the region's figures and store them as its snapshot. `active`, `traffic` and
    `wages`: what the caller read once for several regions (see `selectors.compute`)."""
    data = selectors.compute(region, today=today, active=active, traffic=traffic, wages=wages)
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        region=region, defaults={"computed_at": timezone.now(), "data": data}
    )
    return snapshot


def refresh_all() -> int:
    """Refresh every city and its districts; answers how many were stored. Read once for all
    regions: the platform's traffic; once per city: its wage tables and the ledger twice (its
    active volunteers, and those of all its districts at once)."""
    count = 0
    today = selectors.local_today()
    traffic = figures.traffic(today)
    for group in cities_with_districts():
        city, districts = group["city"], group["districts"]
        wages = Wages()
        refresh_region(region=city, today=today, traffic=traffic, wages=wages)
        active = selectors.active_by_district(city, today)
        for district in districts:
            refresh_region(
                region=district,
                today=today,
                active=active.get(district.pk, 0),
                traffic=traffic,
                wages=wages,
            )
        count += 1 + len(districts)
    return count


def refresh_now(*, actor, region: Region) -> DashboardSnapshot:
    """An admin's "recompute now": the city admin, or the district's admin."""
    from gongyi import permissions

    require_allowed(permissions.can_refresh_dashboard(actor, region))
    return refresh_region(region=region)
