"""The request's district site in every template (None on the city's own pages).

`district_site` is the name to use in shared templates (base.html): Django's auth views
(log-in, password reset) put their own `site` (a RequestSite) into their context, which
hides a context processor's `site` on those pages. `site` is there too, for app pages.
"""

from gongyi.sites.current import site_of


def site(request):
    current = site_of(request)
    return {"site": current, "district_site": current}
