"""Reads of the sites app: the host/slug look-up every request makes, and the lists.

The look-up costs no query per request: the active sites are kept in the cache as one small
map under a version that every site write moves on (`SITES_VERSION`), so a change is seen at
once by every process that shares the cache.
"""

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from django.urls import get_script_prefix

from gongyi import permissions
from gongyi.core.page_cache import cache_version
from gongyi.regions.models import Region
from gongyi.sites.models import Site

SITES_VERSION = "sites:version"
MAP_SECONDS = 24 * 3600  # the version makes a stale map unreachable; this only frees memory
SLUG_MAX = Site._meta.get_field("slug").max_length


def sites_version() -> int:
    return cache_version(SITES_VERSION)


def _with_places(queryset: QuerySet[Site]) -> QuerySet[Site]:
    return queryset.select_related("district", "district__city")


def _active_map() -> dict[str, dict[str, Site]]:
    """{"hosts": {host: site}, "slugs": {slug: site}} of the active sites, from the cache."""
    key = f"sites:map:{sites_version()}"
    found = cache.get(key)
    if found is None:
        sites = list(_with_places(Site.objects.filter(is_active=True)))
        found = {
            "hosts": {site.host: site for site in sites if site.host},
            "slugs": {site.slug: site for site in sites},
        }
        cache.set(key, found, MAP_SECONDS)
    return found


def site_for_host(host: str) -> Site | None:
    """The active site answering at this host name (lower-case, without port), if any."""
    return _active_map()["hosts"].get(host)


def site_for_slug(slug: str) -> Site | None:
    """The active site of the path fallback `/d/<slug>/`, if any."""
    if not slug or len(slug) > SLUG_MAX:
        return None
    return _active_map()["slugs"].get(slug)


def active_sites() -> QuerySet[Site]:
    return _with_places(Site.objects.filter(is_active=True)).order_by(
        "district__city__code", "district__code"
    )


def managed_sites(*, user) -> QuerySet[Site]:
    """Every site the user may change something of (active or not): city admins their
    cities' sites, district admins their own district's."""
    if not user.is_authenticated:
        return Site.objects.none()
    sites = _with_places(Site.objects.all()).order_by("district__city__code", "district__code")
    if user.is_superuser:
        return sites
    cities = user.staff_roles.filter(role="city_admin").values_list("region_id", flat=True)
    return sites.filter(
        Q(district__city_id__in=list(cities))
        | Q(district_id__in=permissions.admin_district_ids(user))
    )


def districts_for_site(*, user, site: Site | None = None) -> QuerySet[Region]:
    """The districts a city admin may give a site: those of their cities that have none yet
    (and the site's own, when editing one)."""
    districts = Region.objects.filter(level=Region.Level.DISTRICT).select_related("city")
    if not user.is_superuser:
        cities = user.staff_roles.filter(role="city_admin").values_list("region_id", flat=True)
        districts = districts.filter(city_id__in=list(cities))
    free = Q(site__isnull=True) | Q(pk=site.district_id) if site else Q(site__isnull=True)
    return districts.filter(free).order_by("city__code", "code")


def site_by_slug(slug: str) -> Site:
    """Any site (active or not) by its slug; 404 when none."""
    slug = (slug or "").strip()
    site = None
    if slug and len(slug) <= SLUG_MAX:
        site = _with_places(Site.objects.filter(slug=slug)).first()
    if site is None:
        raise Http404
    return site


def visible_site(*, user, slug: str) -> Site:
    """An active site for everybody; an inactive one only to the people who manage it."""
    site = site_by_slug(slug)
    if not site.is_active and not permissions.can_edit_site_look(user, site):
        raise Http404
    return site


def site_url(site: Site, request: HttpRequest | None = None) -> str:
    """Where a visitor reaches the site: its own host (keeping this request's scheme and
    port) when it has one, else the path fallback below the platform's root."""
    if site.host:
        if request is None:
            return f"https://{site.host}/"
        _domain, port = split_domain_port(request.get_host())  # as the visitor typed it
        suffix = f":{port}" if port else ""
        return f"{request.scheme}://{site.host}{suffix}/"
    return path_url(site, request)


def path_url(site: Site, request: HttpRequest | None = None) -> str:
    """The path fallback `/d/<slug>/` (below the platform's own script prefix)."""
    root = getattr(request, "main_script_prefix", None) or get_script_prefix()
    return f"{root}{site.path_prefix}"
