"""Which district site a request is for: `request.site` (a Site, or None for the city).

1. The Host header names an active site's host (`jinjiang.gongyi.example`): that site.
2. Else a path starting with `/d/<slug>/` (the path fallback): that site, with the prefix
   taken off `request.path_info` and added to the script prefix, so the URL patterns match
   as usual and every `reverse()` / `{% url %}` of the request keeps `/d/<slug>/`.
   `request.path` keeps the full path, as it keeps a SCRIPT_NAME. An unknown or inactive
   slug is a 404 (the path is left alone, and no URL pattern starts with `d/`).

Hosts without a dot (`localhost`, `testserver`) and IP addresses can never be a site's host
(see `validators.clean_host`), so they are not even looked up: the city's own pages cost
nothing. The look-up itself is one cache read (`selectors.site_map`, the version of the map
this process keeps), never a query once warm; the map is left on the request
(`request.site_map`) so the views of the request need not read the version again.

STATIC_URL and MEDIA_URL are absolute (`/static/`), so the site prefix never reaches them.
The script prefix is put back when the response is done: the WSGI handler and the test client
set it afresh for every request anyway, but code that runs after a request in the same thread
(tests, tasks) must not inherit a site's prefix.
"""

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.urls import get_script_prefix, set_script_prefix

from gongyi.sites import selectors

PATH_MARK = "/d/"


def could_be_site_host(domain: str) -> bool:
    """A dotted name that is not an IP address (the shape `clean_host` insists on)."""
    return "." in domain and not domain.rsplit(".", 1)[-1].isdigit() and ":" not in domain


class SiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.site = None
        main_prefix = get_script_prefix()
        request.main_script_prefix = main_prefix
        domain, _port = split_domain_port(request.get_host())
        by_host = could_be_site_host(domain)
        by_path = request.path_info.startswith(PATH_MARK)
        if not (by_host or by_path):
            return self.get_response(request)
        request.site_map = sites = selectors.site_map()
        if by_host:
            request.site = sites.for_host(domain)
        if request.site is not None or not by_path:
            return self.get_response(request)
        return self._by_path(request, main_prefix, sites)

    def _by_path(self, request: HttpRequest, main_prefix: str, sites: selectors.SiteMap):
        slug, slash, rest = request.path_info[len(PATH_MARK) :].partition("/")
        site = sites.for_slug(slug)
        if site is None:
            # Left as it is: nothing is routed under /d/, so the URL resolver answers 404, with
            # the whole middleware stack behind it (the error page needs request.user).
            return self.get_response(request)
        if not slash:  # /d/jinjiang -> /d/jinjiang/
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        request.site = site
        request.path_info = "/" + rest
        set_script_prefix(main_prefix + site.path_prefix)
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(main_prefix)
