"""Writes of the dashboard: storing the computed snapshot of a region (safe to run twice)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from gongyi.core.errors import require_allowed
from gongyi.dashboard import selectors
from gongyi.dashboard.models import DashboardSnapshot
from gongyi.regions.models import Region


def refresh_region(
    *, region: Region, today: date | None = None, active: int | None = None
) -> DashboardSnapshot:
    """Compute the region's figures and store them as its snapshot (`active`: the active
    volunteers, when the caller counted them for several regions at once)."""
    data = selectors.compute(region, today=today, active=active)
    with transaction.atomic():
        snapshot, _created = DashboardSnapshot.objects.update_or_create(
            region=region, defaults={"computed_at": timezone.now(), "data": data}
        )
    return snapshot


def refresh_all() -> int:
    """Refresh every city and its districts; answers how many were stored. The ledger is read
    twice per city (its active volunteers, and those of all its districts at once)."""
    count = 0
    today = selectors.local_today()
    for city in selectors.cities():
        refresh_region(region=city, today=today)
        active = selectors.active_by_district(city, today)
        districts = selectors.districts_of(city)
        for district in districts:
            refresh_region(region=district, today=today, active=active.get(district.pk, 0))
        count += 1 + len(districts)
    return count


def refresh_now(*, actor, region: Region) -> DashboardSnapshot:
    """An admin's "recompute now": the city admin, or the district's admin."""
    from gongyi import permissions

    require_allowed(permissions.can_refresh_dashboard(actor, region))
    return refresh_region(region=region)
