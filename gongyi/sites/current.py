"""The site of the request, for other apps: what they show by default on a district site.

    from gongyi.sites.current import site_district
    district = site_district(request)  # a Region, or None on the city's own pages

Rankings, the dashboard and the value pages default their scope to `site_district(request)`;
the finder and the organisation list bind their filter forms to `scoped_query(request)`.
Nothing about people is per site: accounts, volunteers and records are the city's.
"""

from django.http import HttpRequest, QueryDict

from gongyi.regions.models import Region
from gongyi.sites.models import Site

# `?district=all` (or an empty `?district=`, as the filter form's "All districts" sends it):
# the visitor asked for the whole city on a district site.
ALL_DISTRICTS = "all"


def site_of(request: HttpRequest) -> Site | None:
    """The district site this request is for (set by SiteMiddleware), or None."""
    return getattr(request, "site", None)


def site_district(request: HttpRequest) -> Region | None:
    """The district a site shows by default, or None (the whole city)."""
    site = site_of(request)
    return site.district if site is not None else None


def scoped_query(request: HttpRequest, field: str = "district") -> QueryDict:
    """The request's query for a list's filter form: on a site, when the visitor chose no
    district, the site's district (by pk) is filled in; `district=all` means every district
    (it becomes empty, which the forms read as "All districts")."""
    query = request.GET
    if query.get(field) == ALL_DISTRICTS:
        query = query.copy()
        query[field] = ""
        return query
    district = site_district(request)
    if district is None or field in query:
        return query
    query = query.copy()
    query[field] = str(district.pk)
    return query
