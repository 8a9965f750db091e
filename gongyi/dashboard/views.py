"""Pages of the dashboard (大数据平台): the city or district view, the large-screen mode for
control rooms, the CSV/XLSX exports of every table and an admin's "recompute now".

They read the stored snapshot (`selectors.snapshot_for`), never the ledger."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongyi import permissions
from gongyi.dashboard import selectors, services, tables
from gongyi.regions.models import Region
from gongyi.sites.current import site_district


def _region(request) -> Region | None:
    """The region asked for (`?region=<code>`), else the site's district, else the city.
    An unknown code (or a street's) is a 404, never a 500."""
    code = request.GET.get("region")
    if code:
        region = selectors.dashboard_region(code)
        if region is None:
            raise Http404
        return region
    return site_district(request) or selectors.default_city()


def _context(request, region: Region) -> dict:
    snapshot = selectors.snapshot_for(region)
    data = snapshot.data
    built = tables.build(data)
    return {
        "region": region,
        "city": selectors.city_of(region),
        "snapshot": snapshot,
        "data": data,
        "tables": built,
        "charts": tables.charts(built),
        "query": urlencode({"region": region.code}),
        "can_refresh": permissions.can_refresh_dashboard(request.user, region),
    }


@require_GET
def index(request):
    region = _region(request)
    if region is None:
        return render(request, "dashboard/empty.html")
    context = _context(request, region)
    context["chooser"] = selectors.chooser()
    return render(request, "dashboard/index.html", context)


@require_GET
def screen(request):
    region = _region(request)
    if region is None:
        return render(request, "dashboard/empty.html")
    return render(request, "dashboard/screen.html", _context(request, region))


@require_GET
def export(request, table: str, fmt: str):
    if table not in tables.NAMES or fmt not in ("csv", "xlsx"):
        raise Http404
    region = _region(request)
    if region is None:
        raise Http404
    built = tables.build(selectors.snapshot_for(region).data)
    if table not in built:  # districts: a city's table only
        raise Http404
    return tables.export(built[table], region.code, fmt)


@require_POST
def refresh(request):
    region = selectors.dashboard_region(request.POST.get("region"))
    if region is None:
        raise Http404
    if not permissions.can_refresh_dashboard(request.user, region):
        raise PermissionDenied
    services.refresh_now(actor=request.user, region=region)
    messages.success(request, _("The figures have been recomputed."))
    return redirect(f"{reverse('dashboard:index')}?{urlencode({'region': region.code})}")
