"""API router of calendars (mounted in gongyi/api.py at /api/v1/calendar).

Thin: the same selectors, services and feed builders as the pages. The shifts calendar
takes the project finder's filters; the feeds answer `text/calendar` (a 404 in JSON when
the token is unknown or revoked, or the saved search is gone).
"""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema, Status

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.calendars import feeds, links, selectors, services
from gongyi.calendars.models import FeedToken, SavedSearch
from gongyi.calendars.periods import FIRST_YEAR, LAST_YEAR, local_today
from gongyi.core.api_types import RowId, errors, file_answer
from gongyi.core.clock import LOCAL_TZ
from gongyi.core.errors import ServiceError
from gongyi.projects.forms import ListFilterForm
from gongyi.projects.models import Shift
from gongyi.signups.models import Signup
from gongyi.signups.services import volunteer_of

router = Router()

MAX_DAYS = 62  # a range answers at most two months of days
RANGE_LIMIT = 500  # entries per answer; `truncated` says when more were left out
ICS_ANSWER = file_answer("text/calendar")
BAD_RANGE = _("The last day must not be before the first.")
LONG_RANGE = _("Ask for at most %(days)d days at a time.")
OUT_OF_RANGE = _("The calendar covers the years %(first)d to %(last)d.")
Weekday = Annotated[int, Field(ge=1, le=7)]


# --- schemas --------------------------------------------------------------------------------


class CalendarRangeQuery(Schema):
    start: datetime.date | None = Field(None, description="First day (Shanghai). Default: today.")
    end: datetime.date | None = Field(
        None, description=f"Last day, included. Default: 30 days on. At most {MAX_DAYS} days."
    )


class CalendarFilterQuery(CalendarRangeQuery):
    """The project finder's filters (as on /projects/), for the shifts themselves."""

    q: str = Field("", max_length=50, description="Keyword (title, summary, description).")
    district: RowId | None = None
    category: RowId | None = Field(None, description="A main category or a subcategory.")
    beneficiary: RowId | None = None
    mode: Literal["onsite", "online"] | None = None
    weekday: list[Weekday] = Field(default_factory=list, description="1 = Monday … 7 = Sunday.")
    time_of_day: Literal["morning", "afternoon", "evening"] | None = None
    places_left: bool = Field(False, description="Only upcoming shifts with places left.")


class CalendarShiftOut(Schema):
    shift_id: int
    project_id: int
    project_number: str
    project_title: str
    project_status: str = Field(description="`published`, or `draft` (its organisers only).")
    project_url: str
    organisation_id: int
    organisation: str
    day: datetime.date = Field(description="The day it starts on, in Shanghai.")
    starts_at: datetime.datetime = Field(description="In Shanghai time (+08:00).")
    ends_at: datetime.datetime
    place: str
    address: str
    capacity: int | None = Field(description="None: unlimited.")
    places_left: int | None


class CalendarSignupOut(CalendarShiftOut):
    signup_id: int
    status: str = Field(description="pending, confirmed or waitlisted (cancelled: not listed).")
    status_label: str


class CalendarShiftsOut(Schema):
    start: datetime.date
    end: datetime.date
    truncated: bool = Field(description=f"More than {RANGE_LIMIT}: ask for fewer days.")
    shifts: list[CalendarShiftOut]


class CalendarSignupsOut(Schema):
    start: datetime.date
    end: datetime.date
    truncated: bool
    signups: list[CalendarSignupOut]


class CalendarFeedOut(Schema):
    active: bool
    prefix: str | None = Field(description="The start of the key, to recognise it.")
    created_at: datetime.datetime | None
    last_fetched_at: datetime.datetime | None


class CalendarFeedIssuedOut(CalendarFeedOut):
    url: str = Field(description="The private feed URL. Shown once: keep it secret.")
    webcal_url: str = Field(description="The same, for a calendar app to subscribe to.")


class CalendarSearchIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)
    query: str = Field(
        "",
        max_length=1000,
        description="The project finder's query string, e.g. `district=3&weekday=6`; only "
        "its valid filters are kept.",
    )


class CalendarSearchOut(Schema):
    id: int
    name: str
    query: str
    described: list[str] = Field(description="The filters in words, in the caller's language.")
    feed_url: str
    webcal_url: str
    calendar_url: str
    finder_url: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


# --- building answers -----------------------------------------------------------------------


def _day_range(query: CalendarRangeQuery) -> tuple[datetime.date, datetime.date]:
    first = query.start or local_today()
    # Checked first: a day near year 9999 plus a month would not fit in a date at all.
    for day, name in ((first, "start"), (query.end, "end")):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            bounds = {"first": FIRST_YEAR, "last": LAST_YEAR}
            raise ServiceError("out_of_range", OUT_OF_RANGE % bounds, field=name)
    last = query.end or first + datetime.timedelta(days=30)
    if last < first:
        raise ServiceError("bad_range", BAD_RANGE, field="end")
    if (last - first).days >= MAX_DAYS:
        raise ServiceError("range_too_long", LONG_RANGE % {"days": MAX_DAYS}, field="end")
    return first, last


def shift_out(request, shift: Shift) -> dict:
    project, point = shift.project, shift.point
    starts = shift.starts_at.astimezone(LOCAL_TZ)
    return {
        "shift_id": shift.pk,
        "project_id": project.pk,
        "project_number": project.number,
        "project_title": project.title,
        "project_status": project.status,
        "project_url": request.build_absolute_uri(project.get_absolute_url()),
        "organisation_id": project.organisation_id,
        "organisation": project.organisation.name,
        "day": starts.date(),
        "starts_at": starts,
        "ends_at": shift.ends_at.astimezone(LOCAL_TZ),
        "place": point.name,
        "address": point.address,
        "capacity": shift.capacity,
        "places_left": shift.places_left,
    }


def signup_out(request, signup: Signup) -> dict:
    return {
        **shift_out(request, signup.shift),
        "signup_id": signup.pk,
        "status": signup.status,
        "status_label": str(signup.get_status_display()),
    }


def _shifts_answer(request, rows, query: CalendarRangeQuery) -> dict:
    first, last = _day_range(query)
    found, truncated = selectors.range_rows(
        rows, *selectors.day_range(first, last), limit=RANGE_LIMIT
    )
    shifts = [shift_out(request, shift) for shift in found]
    return {"start": first, "end": last, "truncated": truncated, "shifts": shifts}


def _finder_query(query: CalendarFilterQuery) -> QueryDict:
    """The filters as the finder's form reads them from its query string."""
    data = QueryDict(mutable=True)
    for name in ("q", "district", "category", "beneficiary", "mode", "time_of_day"):
        value = getattr(query, name)
        if value not in (None, ""):
            data[name] = str(value)
    data.setlist("weekday", [str(day) for day in query.weekday])
    if query.places_left:
        data["places_left"] = "on"
    return data


def feed_out(token: FeedToken | None) -> dict:
    return {
        "active": token is not None,
        "prefix": token.prefix if token else None,
        "created_at": token.created_at if token else None,
        "last_fetched_at": token.last_fetched_at if token else None,
    }


def search_out(request, search: SavedSearch, options: ListFilterForm | None = None) -> dict:
    absolute = request.build_absolute_uri
    feed_url = links.search_feed_url(request, search)
    return {
        "id": search.pk,
        "name": search.name,
        "query": search.query,
        "described": selectors.describe_filters(search.query, options),
        "feed_url": feed_url,
        "webcal_url": links.webcal(feed_url),
        "calendar_url": absolute(links.with_query(reverse("calendars:public"), search.query)),
        "finder_url": absolute(links.with_query(reverse("projects:list"), search.query)),
        "created_at": search.created_at,
        "updated_at": search.updated_at,
    }


def ics_response(body: bytes, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=feeds.MEDIA_TYPE)
    response["Content-Disposition"] = 'inline; filename="gongyi.ics"'
    response["Cache-Control"] = feeds.feed_cache_control(private=private)
    return response


# --- calendars ------------------------------------------------------------------------------


@router.get(
    "/shifts",
    auth=None,
    response={200: CalendarShiftsOut, **errors(400, 422)},
    summary="Shifts of published projects in a date range, with the finder's filters",
    description=f"Soonest first; at most {RANGE_LIMIT} (then `truncated`).",
)
def shifts(request: HttpRequest, query: Query[CalendarFilterQuery]):
    rows = selectors.public_shifts(selectors.project_filters(_finder_query(query)))
    return _shifts_answer(request, rows, query)


@router.get(
    "/mine",
    response={200: CalendarSignupsOut, **errors(400, 401, 422)},
    summary="My calendar: my pending, confirmed and waitlisted signups in a date range",
)
def mine(request: HttpRequest, query: Query[CalendarRangeQuery]):
    volunteer = volunteer_of(request.user)
    first, last = _day_range(query)
    found, truncated = selectors.range_rows(
        selectors.my_signups(volunteer),
        *selectors.day_range(first, last),
        limit=RANGE_LIMIT,
        field="shift__starts_at",
    )
    signups = [signup_out(request, signup) for signup in found]
    return {"start": first, "end": last, "truncated": truncated, "signups": signups}


@router.get(
    "/orgs/{org_id}",
    auth=None,
    response={200: CalendarShiftsOut, **errors(400, 404, 422)},
    summary="An organisation's calendar: its published projects' shifts",
    description="Its admins and project leaders also get the shifts of its drafts.",
)
def org_calendar(request: HttpRequest, org_id: RowId, query: Query[CalendarRangeQuery]):
    user = public_caller(request)
    org = selectors.visible_org(user=user, pk=org_id)
    drafts = permissions.can_see_draft_shifts(user, org)
    return _shifts_answer(request, selectors.org_shifts(org, drafts=drafts), query)


# --- my private feed URL --------------------------------------------------------------------


@router.get(
    "/feed",
    response={200: CalendarFeedOut, **errors(400, 401)},
    summary="My private calendar feed: whether one is live (the URL itself is shown once)",
)
def feed_status(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    return feed_out(selectors.current_feed_token(volunteer))


@router.post(
    "/feed",
    response={200: CalendarFeedIssuedOut, **errors(400, 401, 403)},
    summary="Issue my private feed URL (the one before stops working)",
)
def feed_issue(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    token, key = services.feed_token_issue(volunteer=volunteer)
    url = links.volunteer_feed_url(request, key)
    return {**feed_out(token), "url": url, "webcal_url": links.webcal(url)}


@router.delete(
    "/feed",
    response={200: CalendarFeedOut, **errors(400, 401, 403)},
    summary="Revoke my private feed URL (it answers 404 from now on)",
)
def feed_revoke(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    services.feed_token_revoke(volunteer=volunteer)
    return feed_out(None)


# --- saved searches -------------------------------------------------------------------------


@router.get(
    "/searches", response={200: list[CalendarSearchOut], **errors(401)}, summary="My saved searches"
)
def searches(request: HttpRequest):
    options = ListFilterForm()  # its (cached) option lists describe every search
    return [search_out(request, s, options) for s in selectors.my_searches(user=request.user)]


@router.post(
    "/searches",
    response={200: CalendarSearchOut, **errors(400, 401, 403, 422)},
    summary="Save the finder's filters under a name (each gets its own feed URL)",
)
def search_create(request: HttpRequest, data: CalendarSearchIn):
    search = services.saved_search_create(user=request.user, name=data.name, query=data.query)
    return search_out(request, search)


@router.get(
    "/searches/{search_id}",
    response={200: CalendarSearchOut, **errors(401, 403, 404, 422)},
    summary="One of my saved searches",
)
def search_detail(request: HttpRequest, search_id: RowId):
    return search_out(request, selectors.own_search(user=request.user, pk=search_id))


@router.put(
    "/searches/{search_id}",
    response={200: CalendarSearchOut, **errors(400, 401, 403, 404, 422)},
    summary="Rename a saved search or change its filters",
)
def search_update(request: HttpRequest, search_id: RowId, data: CalendarSearchIn):
    search = selectors.own_search(user=request.user, pk=search_id)
    search = services.saved_search_update(
        actor=request.user, search=search, name=data.name, query=data.query
    )
    return search_out(request, search)


@router.delete(
    "/searches/{search_id}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Delete a saved search (its feed answers 404 from then on)",
)
def search_delete(request: HttpRequest, search_id: RowId):
    search = selectors.own_search(user=request.user, pk=search_id)
    services.saved_search_delete(actor=request.user, search=search)
    return Status(204, None)


# --- feeds (iCalendar) ----------------------------------------------------------------------


@router.get(
    "/feeds/volunteers/{token}.ics",
    auth=None,
    url_name="calendar_volunteer_feed",
    response={200: None, **errors(404, 422)},
    openapi_extra=ICS_ANSWER,
    summary="A volunteer's private feed (iCalendar): their live signups",
    description="The token is the secret in the URL; an unknown or revoked one answers 404.",
)
def volunteer_feed(request: HttpRequest, token: str = Path(..., max_length=64)):
    feed_token = selectors.live_feed_token(token)
    services.note_feed_fetched(token=feed_token)
    body = feeds.volunteer_feed(feed_token.volunteer, absolute=request.build_absolute_uri)
    return ics_response(body, private=True)


@router.get(
    "/feeds/orgs/{org_id}.ics",
    auth=None,
    url_name="calendar_org_feed",
    response={200: None, **errors(404, 422)},
    openapi_extra=ICS_ANSWER,
    summary="An organisation's public feed (iCalendar): its published projects' shifts",
)
def org_feed(request: HttpRequest, org_id: RowId):
    org = selectors.public_org(pk=org_id)
    return ics_response(feeds.org_feed(org, absolute=request.build_absolute_uri), private=False)


@router.get(
    "/feeds/searches/{key}.ics",
    auth=None,
    url_name="calendar_search_feed",
    response={200: None, **errors(404, 422)},
    openapi_extra=ICS_ANSWER,
    summary="A saved search's feed (iCalendar): upcoming shifts that match it",
)
def search_feed(request: HttpRequest, key: str = Path(..., max_length=32)):
    search = selectors.search_by_key(key)
    body = feeds.search_feed(search, absolute=request.build_absolute_uri)
    return ics_response(body, private=False)
