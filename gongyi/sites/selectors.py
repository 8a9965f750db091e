"""Reads of the sites app: the host/slug look-up every request makes, and the lists.

The look-up costs no query and one cache read per request: each process keeps the map of the
active sites in memory, with the version it was built for. Every site write puts a new
version in the shared cache (`SITES_VERSION`), so the next request of every process sees the
change and rebuilds its map.
"""

import threading
import uuid
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.request import split_domain_port
from django.urls import get_script_prefix

from gongyi import permissions
from gongyi.regions.models import Region
from gongyi.sites.models import Site

SITES_VERSION = "sites:version"
SLUG_MAX = Site._meta.get_field("slug").max_length


class SiteMap(NamedTuple):
    """The active sites by host and by slug, as of `version`. Shared by every request of the
    process: read it, never change its sites."""

    version: str
    hosts: dict[str, Site]
    slugs: dict[str, Site]

    def for_host(self, host: str) -> Site | None:
        """The active site answering at this host name (lower-case, without port), if any."""
        return self.hosts.get(host)

    def for_slug(self, slug: str) -> Site | None:
        """The active site of the path fallback `/d/<slug>/`, if any."""
        if not slug or len(slug) > SLUG_MAX:
            return None
        return self.slugs.get(slug)


_memo: SiteMap | None = None
_memo_lock = threading.Lock()


def sites_version() -> str:
    """The version of the site rows. A random token, not a counter: after the cache is
    flushed a counter would start again at a number a process may still hold a map for."""
    version = cache.get(SITES_VERSION)
    if version is None:
        token = uuid.uuid4().hex
        cache.add(SITES_VERSION, token, timeout=None)  # another process may win: read it back
        version = cache.get(SITES_VERSION, token)
    return version


def bump_sites_version() -> None:
    """Every process rebuilds its map at its next request."""
    cache.set(SITES_VERSION, uuid.uuid4().hex, timeout=None)


def _with_places(queryset: QuerySet[Site]) -> QuerySet[Site]:
    return queryset.select_related("district", "district__city")


def _build_map(version: str) -> SiteMap:
    sites = list(_with_places(Site.objects.filter(is_active=True)))
    return SiteMap(
        version=version,
        hosts={site.host: site for site in sites if site.host},
        slugs={site.slug: site for site in sites},
    )


def site_map() -> SiteMap:
    """The active sites: one cache read, and a query only when the version has moved on."""
    global _memo
    version = sites_version()
    memo = _memo
    if memo is not None and memo.version == version:
        return memo
    with _memo_lock:  # one rebuild per process, however many threads see the new version
        if _memo is None or _memo.version != version:
            _memo = _build_map(version)
        return _memo


def request_site_map(request: HttpRequest) -> SiteMap:
    """The map SiteMiddleware read for this request, so a request reads the version once."""
    found = getattr(request, "site_map", None)
    return found if found is not None else site_map()


def site_for_slug(slug: str) -> Site | None:
    """The active site of the path fallback `/d/<slug>/`, if any."""
    return site_map().for_slug(slug)


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
    return sites.filter(
        Q(district__city_id__in=permissions.admin_city_ids(user))
        | Q(district_id__in=permissions.admin_district_ids(user))
    )


def districts_for_site(*, user, site: Site | None = None) -> QuerySet[Region]:
    """The districts a city admin may give a site: those of their cities that have none yet
    (and the site's own, when editing one)."""
    districts = Region.objects.filter(level=Region.Level.DISTRICT).select_related("city")
    if not user.is_superuser:
        districts = districts.filter(city_id__in=permissions.admin_city_ids(user))
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
