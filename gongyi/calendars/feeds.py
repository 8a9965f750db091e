"""iCalendar feeds (RFC 5545) built with icalendar: a volunteer's signups, an organisation's
shifts, a saved search's shifts.

Times are written in Asia/Shanghai (`DTSTART;TZID=Asia/Shanghai:…`) with the VTIMEZONE
that defines it, so every calendar app shows the wall-clock time of the place. UIDs are
stable (`shift-<id>@gongyi`, `signup-<id>@gongyi`), so an app updates an event in place on
the next refresh, and drops one that is no longer in the feed (a cancelled signup).
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from gongyi.calendars import selectors
from gongyi.calendars.models import SavedSearch
from gongyi.calendars.periods import local_midnight, local_today
from gongyi.core.clock import LOCAL_TZ
from gongyi.orgs.models import Organisation
from gongyi.projects import selectors as project_selectors
from gongyi.projects.models import Shift
from gongyi.signups.models import Signup

MEDIA_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Gongyi//Volunteer calendar 1.0//ZH"
UID_DOMAIN = "gongyi"
DAYS_BACK, DAYS_AHEAD = 30, 180  # what a feed covers: recent past and half a year ahead
PUBLIC_CAP = 500  # events in an organisation's or a saved search's feed
OWN_CAP = 1000  # a volunteer's own signups (a year's worth for the busiest)
REFRESH = datetime.timedelta(hours=1)  # how often we suggest the apps poll
PUBLIC_CACHE_SECONDS = 120  # the public feeds are the same for everyone: cache them briefly
ICS_STATUS = {"confirmed": "CONFIRMED", "pending": "TENTATIVE", "waitlisted": "TENTATIVE"}


@dataclass(frozen=True)
class Window:
    starts: datetime.datetime
    ends: datetime.datetime


def window(*, upcoming_only: bool = False) -> Window:
    today = local_today()
    first = today if upcoming_only else today - datetime.timedelta(days=DAYS_BACK)
    last = today + datetime.timedelta(days=DAYS_AHEAD)
    return Window(local_midnight(first), local_midnight(last))


# --- building the calendar ------------------------------------------------------------------


def _new_calendar(name: str, uid: str, feed_window: Window) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, name=name, uid=uid, refresh_interval=REFRESH)
    # RFC 7986 wants the value type spelled out; X-PUBLISHED-TTL is the older name (Outlook).
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add("X-WR-TIMEZONE", str(LOCAL_TZ))
    # The VTIMEZONE the events' TZID refers to, from the tz database, with the rules that
    # hold around the feed's window; added even to an empty feed, which names it above.
    margin = datetime.timedelta(days=366)
    calendar.add_component(
        Timezone.from_tzid(
            str(LOCAL_TZ),
            first_date=(feed_window.starts - margin).date(),
            last_date=(feed_window.ends + margin).date(),
        )
    )
    return calendar


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()  # none is: a safety net should an event use another zone
    return calendar.to_ical()


def _place(shift: Shift) -> str:
    point = shift.point
    return f"{point.name}, {point.address}" if point.address else point.name


def _places_text(shift: Shift) -> str:
    if shift.places_left is None:
        return _("Places: unlimited")
    return _("Places left: %(left)d of %(total)d") % {
        "left": shift.places_left,
        "total": shift.capacity,
    }


def _event(shift: Shift, *, uid: str, url: str, stamp, lines: list[str], **extra) -> Event:
    project = shift.project
    details = [project.organisation.name, *lines]
    if project.summary:
        details.append(project.summary)
    details.append(url)
    return Event.new(
        uid=uid,
        summary=extra.pop("summary", project.title),
        start=shift.starts_at.astimezone(LOCAL_TZ),
        end=shift.ends_at.astimezone(LOCAL_TZ),
        stamp=stamp,
        location=_place(shift),
        url=url,
        description="\n".join(details),
        **extra,
    )


def _shift_events(calendar: Calendar, shifts, *, absolute) -> None:
    stamp = timezone.now()
    for shift in shifts:
        calendar.add_component(
            _event(
                shift,
                uid=f"shift-{shift.pk}@{UID_DOMAIN}",
                url=absolute(shift.project.get_absolute_url()),
                stamp=stamp,
                lines=[_places_text(shift)],
                status="CONFIRMED",
            )
        )


def _signup_summary(signup: Signup) -> str:
    title = signup.shift.project.title
    if signup.status == Signup.Status.CONFIRMED:
        return title
    return f"[{signup.get_status_display()}] {title}"


# --- the three feeds ------------------------------------------------------------------------


def volunteer_feed(volunteer, *, absolute) -> bytes:
    """The volunteer's live signups: confirmed, and (marked tentative) pending or waitlisted.
    A cancelled signup is not in it, so the app removes it on its next refresh."""
    feed_window = window()
    calendar = _new_calendar(
        _("My volunteer shifts · Gongyi"), f"volunteer-{volunteer.pk}@{UID_DOMAIN}", feed_window
    )
    signups, _more = selectors.range_rows(
        selectors.my_signups(volunteer),
        feed_window.starts,
        feed_window.ends,
        limit=OWN_CAP,
        field="shift__starts_at",
    )
    stamp = timezone.now()
    for signup in signups:
        status_line = _("Your signup: %(status)s") % {"status": signup.get_status_display()}
        calendar.add_component(
            _event(
                signup.shift,
                uid=f"signup-{signup.pk}@{UID_DOMAIN}",
                url=absolute(signup.shift.project.get_absolute_url()),
                stamp=stamp,
                lines=[status_line],
                summary=_signup_summary(signup),
                status=ICS_STATUS[signup.status],
            )
        )
    return _finish(calendar)


def _cached(key: str, build) -> bytes:
    """A public feed from the cache: keyed by the project list's version (every publish or
    edit moves it) and the language, kept a couple of minutes."""
    parts = f"{key}:{project_selectors.list_version()}:{get_language()}"
    full_key = "calendars:feed:" + hashlib.sha256(parts.encode()).hexdigest()
    body = cache.get(full_key)
    if body is None:
        body = build()
        cache.set(full_key, body, PUBLIC_CACHE_SECONDS)
    return body


def org_feed(org: Organisation, *, absolute) -> bytes:
    """The organisation's published projects' shifts (drafts never: the feed is public)."""

    def build() -> bytes:
        feed_window = window()
        name = _("%(org)s · volunteer shifts") % {"org": org.name}
        calendar = _new_calendar(name, f"org-{org.pk}@{UID_DOMAIN}", feed_window)
        shifts, _more = selectors.range_rows(
            selectors.org_shifts(org), feed_window.starts, feed_window.ends, limit=PUBLIC_CAP
        )
        _shift_events(calendar, shifts, absolute=absolute)
        return _finish(calendar)

    # The site's address is in every link: one copy per host it is served under.
    return _cached(f"org:{org.pk}:{absolute('/')}", build)


def search_feed(search: SavedSearch, *, absolute) -> bytes:
    """Upcoming shifts that match the saved filters, soonest first."""

    def build() -> bytes:
        feed_window = window(upcoming_only=True)
        name = _("%(name)s · Gongyi") % {"name": search.name}
        calendar = _new_calendar(name, f"search-{search.pk}@{UID_DOMAIN}", feed_window)
        shifts, _more = selectors.range_rows(
            selectors.public_shifts(selectors.search_filters(search)),
            feed_window.starts,
            feed_window.ends,
            limit=PUBLIC_CAP,
        )
        _shift_events(calendar, shifts, absolute=absolute)
        return _finish(calendar)

    # The name and filters are part of the key: an edit shows on the next fetch.
    key = f"search:{search.feed_key}:{search.updated_at.timestamp()}"
    return _cached(f"{key}:{absolute('/')}", build)


def feed_cache_control(*, private: bool) -> str:
    if private:
        return "private, no-store"
    return f"public, max-age={PUBLIC_CACHE_SECONDS}"
