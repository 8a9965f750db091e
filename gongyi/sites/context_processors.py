"""The request's district site in every template (None on the city's own pages).

Named `district_site`, not `site`: Django's auth views (log-in, password reset) put their own
`site` (a RequestSite) into their context, which would hide a context processor's `site`.
"""

from gongyi.sites.current import site_of


def site(request):
    return {"district_site": site_of(request)}
