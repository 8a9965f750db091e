"""API router of sites (mounted in gongyi/api.py at /api/v1/sites).

Thin: the same selectors and services as the pages. Sites are named by their short name
(slug). Reading is public (active sites; an inactive one only to the people who manage it);
creating is the city admin's; changing is the city admin's (every field) or the district
admin's (the look: name, tagline, colours, logo, banner).
"""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Field, File, Path, Router, Schema, Status
from ninja.files import UploadedFile

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.core.api_types import RowId, errors
from gongyi.core.images import ImageRule, image_help
from gongyi.regions.models import Region
from gongyi.sites import selectors, services, validators
from gongyi.sites.models import DEFAULT_ACCENT, DEFAULT_PRIMARY, SLUG_RE, Site

router = Router()

Slug = Annotated[
    str,
    Path(
        max_length=40,
        pattern=SLUG_RE,
        description="The site's short name, as in its path fallback /d/<slug>/.",
        example="jinjiang",
    ),
]
COLOUR_HELP = "#rrggbb (or #rgb). The main colour carries white text: contrast at least 4.5:1."


class SiteOut(Schema):
    slug: str
    name: str
    district_id: int
    district_code: str
    district_name: str
    city_name: str
    host: str = Field(description="The site's own host name; empty when it has none.")
    url: str = Field(description="Where visitors reach it: its host, else the path fallback.")
    path_url: str = Field(description="The path fallback, /d/<slug>/.")
    tagline: str
    primary_colour: str
    accent_colour: str
    logo_url: str | None
    banner_url: str | None
    theme_url: str = Field(description="The stylesheet with the site's colours.")
    is_active: bool
    created_at: datetime
    updated_at: datetime


class SiteIn(Schema):
    district_id: RowId = Field(description="A district of a city the caller administers.")
    name: str = Field(max_length=200)
    slug: str = Field(max_length=100, description="2–40 of a–z, 0–9 and -, from a letter.")
    host: str = Field("", max_length=300, description="e.g. jinjiang.gongyi.example; optional.")
    tagline: str = Field("", max_length=300)
    primary_colour: str = Field(DEFAULT_PRIMARY, max_length=20, description=COLOUR_HELP)
    accent_colour: str = Field(DEFAULT_ACCENT, max_length=20, description="#rrggbb.")


class SitePatch(Schema):
    """Only the fields sent change. A district admin may send the look fields only."""

    name: str | None = Field(None, max_length=200)
    tagline: str | None = Field(None, max_length=300)
    primary_colour: str | None = Field(None, max_length=20, description=COLOUR_HELP)
    accent_colour: str | None = Field(None, max_length=20)
    district_id: RowId | None = Field(None, description="City admin only.")
    slug: str | None = Field(None, max_length=100, description="City admin only.")
    host: str | None = Field(None, max_length=300, description='City admin only; "" for none.')
    is_active: bool | None = Field(None, description="City admin only.")


def site_out(site: Site, request: HttpRequest) -> dict:
    return {
        "slug": site.slug,
        "name": site.name,
        "district_id": site.district_id,
        "district_code": site.district.code,
        "district_name": site.district.name,
        "city_name": site.district.city.name if site.district.city_id else "",
        "host": site.host,
        "url": selectors.site_url(site, request),
        "path_url": selectors.path_url(site, request),
        "tagline": site.tagline,
        "primary_colour": site.primary_colour,
        "accent_colour": site.accent_colour,
        "logo_url": site.logo.url if site.logo else None,
        "banner_url": site.banner.url if site.banner else None,
        "theme_url": f"{reverse('sites:theme', args=[site.slug])}?v={site.theme_version}",
        "is_active": site.is_active,
        "created_at": site.created_at,
        "updated_at": site.updated_at,
    }


def _district(district_id: int | None) -> Region | None:
    return Region.objects.select_related("city").filter(pk=district_id).first()


# --- reads ----------------------------------------------------------------------------------


@router.get(
    "/",
    auth=None,
    response={200: list[SiteOut]},
    summary="The active district sites (public)",
)
def list_sites(request: HttpRequest):
    return [site_out(site, request) for site in selectors.active_sites()]


@router.get(
    "/manage",
    response={200: list[SiteOut], **errors(401, 403)},
    summary="The sites I may change, active or not (city and district admins)",
)
def managed(request: HttpRequest):
    permissions.require(permissions.can_see_site_admin(request.user))
    return [site_out(site, request) for site in selectors.managed_sites(user=request.user)]


@router.get(
    "/{slug}",
    auth=None,
    response={200: SiteOut, **errors(404, 422)},
    summary="One site (public when active; otherwise to the people who manage it)",
)
def get_site(request: HttpRequest, slug: Slug):
    return site_out(selectors.visible_site(user=public_caller(request), slug=slug), request)


# --- writes ---------------------------------------------------------------------------------


@router.post(
    "/",
    response={201: SiteOut, **errors(400, 401, 403, 422)},
    summary="Create a district's site (the city admin of the district's city)",
    description="One site per district; host and short name unique. Anything refused: 400 "
    "with the field, nothing saved. Upload the logo and banner afterwards (multipart).",
)
def create_site(request: HttpRequest, payload: SiteIn):
    permissions.require(permissions.is_city_admin(request.user))
    fields = payload.dict()
    district = _district(fields.pop("district_id"))
    site = services.site_create(actor=request.user, district=district, **fields)
    return Status(201, site_out(site, request))


@router.patch(
    "/{slug}",
    response={200: SiteOut, **errors(400, 401, 403, 404, 422)},
    summary="Change a site: every field (city admin) or its look (the district's admin)",
)
def update_site(request: HttpRequest, slug: Slug, payload: SitePatch):
    site = selectors.visible_site(user=request.user, slug=slug)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "district_id" in changes:
        changes["district"] = _district(changes.pop("district_id"))
    return site_out(services.site_update(actor=request.user, site=site, **changes), request)


def _changed_image(request: HttpRequest, slug: str, **change) -> dict:
    site = selectors.visible_site(user=request.user, slug=slug)
    return site_out(services.site_update(actor=request.user, site=site, **change), request)


def _help(rule: ImageRule) -> str:
    """The upload field's own help (in English: the API's documentation is), and what a
    refusal does."""
    with translation.override("en"):
        limits = image_help(rule)
    return f"{limits} Re-encoded without metadata. Refused: 400, nothing saved."


@router.post(
    "/{slug}/logo",
    response={200: SiteOut, **errors(400, 401, 403, 404, 422)},
    summary="Upload the site's logo (multipart; the city or the district admin)",
    description=_help(validators.LOGO),
)
def upload_logo(request: HttpRequest, slug: Slug, logo: File[UploadedFile]):
    return _changed_image(request, slug, logo=logo)


@router.delete(
    "/{slug}/logo",
    response={200: SiteOut, **errors(401, 403, 404, 422)},
    summary="Remove the site's logo (the city or the district admin)",
)
def remove_logo(request: HttpRequest, slug: Slug):
    return _changed_image(request, slug, remove_logo=True)


@router.post(
    "/{slug}/banner",
    response={200: SiteOut, **errors(400, 401, 403, 404, 422)},
    summary="Upload the site's banner (multipart; the city or the district admin)",
    description=_help(validators.BANNER),
)
def upload_banner(request: HttpRequest, slug: Slug, banner: File[UploadedFile]):
    return _changed_image(request, slug, banner=banner)


@router.delete(
    "/{slug}/banner",
    response={200: SiteOut, **errors(401, 403, 404, 422)},
    summary="Remove the site's banner (the city or the district admin)",
)
def remove_banner(request: HttpRequest, slug: Slug):
    return _changed_image(request, slug, remove_banner=True)
