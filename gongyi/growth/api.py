"""API router of growth (mounted in gongyi/api.py at /api/v1/growth).

Thin: the same selectors and services as the pages. My growth and my card are the caller's
own; the city's settings are the city admin's; badges and public cards are open to anyone
(a card only when its volunteer opted in: an unknown number and a private card both answer
the same 404).
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema

from gongyi import permissions
from gongyi.core.api_types import RowId, errors, file_answer
from gongyi.core.errors import ServiceError
from gongyi.growth import card, selectors, services
from gongyi.growth.services import MAX_LEVELS, MAX_POINTS
from gongyi.growth.views import card_url, png_response
from gongyi.signups.services import volunteer_of

router = Router()


class Missing(ServiceError):
    status = 404


NO_CARD = _("No public identity card with this volunteer number.")
Number = Path(..., min_length=1, max_length=16, description="Volunteer number, e.g. V0000000001")
Whole = Annotated[int, Field(ge=0, le=10**9)]
EventKind = Literal["first_service", "new_district", "training", "streak", "star", "level", "badge"]

# --- schemas --------------------------------------------------------------------------------------


class GrowthStarProgressOut(Schema):
    next_stars: int | None = Field(description="The next star count; null when all five are held.")
    hours_needed: int | None = Field(description="Hours the next star needs.")
    hours_left: str
    percent: int = Field(description="From the last star reached towards the next, 0–100.")


class GrowthLevelProgressOut(Schema):
    next_level: int | None
    next_level_name: str | None
    points_needed: int | None
    points_left: int
    percent: int


class GrowthBadgeOut(Schema):
    code: str
    name: str
    description: str
    kind: str
    earned: bool
    awarded_on: date | None = Field(description="The day of the record that made it hold.")
    explanation: str = Field(description="Why it was earned (empty when not earned).")


class GrowthEventOut(Schema):
    kind: EventKind
    day: date
    title: str
    points: int = Field(description="Points the deed earned (0 for stars, levels, badges).")


class MyGrowthOut(Schema):
    minutes: int
    hours: str
    points: int
    level: int
    level_name: str
    stars: int
    services: int
    districts: int
    star_progress: GrowthStarProgressOut
    level_progress: GrowthLevelProgressOut
    badges: list[GrowthBadgeOut]
    timeline: list[GrowthEventOut] = Field(description="Newest first.")


class GrowthBadgeInfoOut(Schema):
    code: str
    name: str
    description: str
    kind: str
    params: dict


class GrowthLevelSchema(Schema):
    points: Whole
    name: str = Field(..., min_length=1, max_length=services.MAX_LEVEL_NAME)
    name_en: str = Field("", max_length=services.MAX_LEVEL_NAME * 2)


class GrowthSettingsIn(Schema):
    star_hours: list[Whole] = Field(
        ..., max_length=10, description="Hours for 1 to 5 stars, strictly increasing."
    )
    points_per_hour: int = Field(..., ge=0, le=MAX_POINTS)
    points_first_service: int = Field(..., ge=0, le=MAX_POINTS)
    points_training: int = Field(..., ge=0, le=MAX_POINTS)
    points_streak: int = Field(..., ge=0, le=MAX_POINTS)
    points_new_district: int = Field(..., ge=0, le=MAX_POINTS)
    streak_months: int = Field(..., ge=0, le=1000)
    levels: list[GrowthLevelSchema] = Field(..., max_length=MAX_LEVELS * 2)
    training_category_ids: list[RowId] = Field(default_factory=list, max_length=500)
    elderly_group_id: RowId | None = None


class GrowthSettingsOut(GrowthSettingsIn):
    version: int
    updated_at: datetime


class GrowthCardSettingsIn(Schema):
    is_public: bool


class GrowthCardSettingsOut(Schema):
    is_public: bool
    card_url: str = Field(description="The public page (answers 404 while the card is private).")
    image_url: str = Field(description="The share image (PNG, 750×1000).")
    preview_url: str = Field(description="The caller's own image, public or not (web session).")


class PublicCardOut(Schema):
    number: str
    masked_name: str
    stars: int
    minutes: int
    hours: str
    level_name: str
    badges: list[str]
    teams: list[str]
    projects: list[str] = Field(description="Titles of the projects served most recently.")
    card_url: str
    image_url: str


# --- answers --------------------------------------------------------------------------------------


def _my_growth_out(mine: selectors.MyGrowth) -> dict:
    g, stars, level = mine.growth, mine.stars, mine.level
    return {
        **g.figures(),
        "hours": mine.hours,
        "level_name": mine.level_name,
        "star_progress": {
            "next_stars": None if stars.next_index is None else stars.next_index + 1,
            "hours_needed": mine.next_star_hours,
            "hours_left": mine.hours_left,
            "percent": stars.percent,
        },
        "level_progress": {
            "next_level": level.next_index,
            "next_level_name": mine.next_level_name,
            "points_needed": level.target,
            "points_left": level.left,
            "percent": level.percent,
        },
        "badges": [
            {
                "code": v.badge.code,
                "name": v.badge.label,
                "description": v.badge.text,
                "kind": v.badge.kind,
                "earned": v.earned,
                "awarded_on": v.awarded_on,
                "explanation": v.reason,
            }
            for v in mine.badges
        ],
        "timeline": [vars(row) for row in mine.timeline],
    }


def _settings_out(found) -> dict:
    return {
        "star_hours": found.star_hours,
        **{name: getattr(found, name) for name in services.POINT_FIELDS},
        "streak_months": found.streak_months,
        "levels": found.levels,
        "training_category_ids": sorted(found.training_categories.values_list("pk", flat=True)),
        "elderly_group_id": found.elderly_group_id,
        "version": found.version,
        "updated_at": found.updated_at,
    }


def _card_links(request, number: str) -> dict:
    return {
        "card_url": card_url(request, number),
        "image_url": request.build_absolute_uri(reverse("api:growth_card_image", args=[number])),
    }


# --- my growth, badges ----------------------------------------------------------------------------


@router.get(
    "/me",
    response={200: MyGrowthOut, **errors(400, 401)},
    summary="My growth: points, level, stars, progress, badges and timeline",
    description="Derived from the caller's confirmed service records at the time of asking.",
)
def my_growth(request: HttpRequest):
    return _my_growth_out(selectors.my_growth(volunteer_of(request.user)))


@router.get(
    "/badges",
    auth=None,
    response={200: list[GrowthBadgeInfoOut]},
    summary="The badges in use and their rules (public)",
)
def badges(request: HttpRequest):
    return [
        {
            "code": b.code,
            "name": b.label,
            "description": b.text,
            "kind": b.kind,
            "params": b.params,
        }
        for b in selectors.active_badges()
    ]


# --- the city's settings --------------------------------------------------------------------------


@router.get(
    "/settings",
    response={200: GrowthSettingsOut, **errors(401, 403)},
    summary="The city's growth settings (city admin)",
)
def get_settings(request: HttpRequest):
    permissions.require(permissions.can_edit_growth_settings(request.user))
    return _settings_out(selectors.current_settings())


@router.put(
    "/settings",
    response={200: GrowthSettingsOut, **errors(400, 401, 403, 422)},
    summary="Change the city's growth settings (city admin)",
    description="Star thresholds must be five strictly increasing hours; level points start "
    "at 0 and strictly increase. Everyone's growth is then re-derived in the background.",
)
def put_settings(request: HttpRequest, data: GrowthSettingsIn):
    found = services.update_settings(
        actor=request.user,
        star_hours=list(data.star_hours),
        levels=[level.model_dump() for level in data.levels],
        points={name: getattr(data, name) for name in services.POINT_FIELDS},
        streak_months=data.streak_months,
        training_category_ids=list(data.training_category_ids),
        elderly_group_id=data.elderly_group_id,
    )
    found.refresh_from_db()
    return _settings_out(found)


# --- the identity card ----------------------------------------------------------------------------


def _card_settings_out(request, volunteer, is_public: bool) -> dict:
    return {
        "is_public": is_public,
        **_card_links(request, volunteer.number),
        "preview_url": request.build_absolute_uri(reverse("growth:card_preview")),
    }


@router.get(
    "/card",
    response={200: GrowthCardSettingsOut, **errors(400, 401)},
    summary="My identity card settings",
)
def get_card_settings(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    current = selectors.card_settings_of(volunteer)
    return _card_settings_out(request, volunteer, current.is_public)


@router.put(
    "/card",
    response={200: GrowthCardSettingsOut, **errors(400, 401, 403, 422)},
    summary="Make my identity card public, or private again",
)
def put_card_settings(request: HttpRequest, data: GrowthCardSettingsIn):
    volunteer = volunteer_of(request.user)
    found = services.set_card_public(
        volunteer=volunteer, actor=request.user, is_public=data.is_public
    )
    return _card_settings_out(request, volunteer, found.is_public)


def _public(number: str):
    volunteer = selectors.public_volunteer(number)
    if volunteer is None:
        raise Missing("not_found", NO_CARD)
    return volunteer


@router.get(
    "/cards/{number}",
    auth=None,
    response={200: PublicCardOut, **errors(404, 422)},
    summary="A volunteer's public identity card (only when they opted in)",
)
def public_card(request: HttpRequest, number: str = Number):
    found = selectors.card_of(_public(number))
    return {**vars(found), "hours": found.hours, **_card_links(request, number)}


@router.get(
    "/cards/{number}/image",
    auth=None,
    url_name="growth_card_image",
    response={200: None, **errors(404, 422, 503)},
    openapi_extra=file_answer("image/png"),
    summary="A public identity card as a share image (PNG, 750×1000)",
)
def public_card_image(request: HttpRequest, number: str = Number) -> HttpResponse:
    found = selectors.card_of(_public(number))
    return png_response(card.png(found, card_url(request, number)), public=True)
