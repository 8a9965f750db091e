"""Pages of the calendars: the public month and week views with the finder's filters, my
calendar, an organisation's calendar, my private feed URL and my saved searches."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyi import permissions
from gongyi.accounts.selectors import volunteer_of
from gongyi.calendars import forms, links, periods, selectors, services
from gongyi.core.errors import ServiceError
from gongyi.core.page_cache import public_page_cache
from gongyi.projects import selectors as project_selectors
from gongyi.projects.forms import ListFilterForm

CACHE_SECONDS = 5  # the public calendar, for anonymous visitors (like the finder)
PERIOD_PARAMS = ("month", "week")
# The finder's rarer filters: folded on the page unless one of them is in use.
MORE_FILTERS = (
    "beneficiary",
    "mode",
    "time_of_day",
    "date_from",
    "date_to",
    "weekday",
    "places_left",
)


# --- the calendar grid ------------------------------------------------------------------------


def _query(filters: QueryDict, **params) -> str:
    """A query string for the page: its filters (valid ones only) and a period."""
    query = filters.copy()
    for name, value in params.items():
        query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _week_param(day: datetime.date) -> str:
    return periods.week_of(day).param


def _navigation(filters: QueryDict, period: periods.Period) -> dict:
    previous, following = period.previous(), period.next()
    today = periods.local_today()
    # Switching view keeps the place: the month of the week shown, the week of today (when
    # it is in the month shown) or of the month's first day.
    week_day = today if period.contains(today) else period.first
    return {
        "previous_url": _query(filters, **{period.kind: previous.param}) if previous else None,
        "next_url": _query(filters, **{period.kind: following.param}) if following else None,
        "today_url": _query(filters, week=_week_param(today))
        if period.kind == "week"
        else _query(filters),
        "month_url": _query(filters, month=f"{period.first:%Y-%m}"),
        "week_url": _query(filters, week=_week_param(week_day)),
    }


def _days(period, rows, *, filters: QueryDict, field="starts_at", to_finder: bool = False):
    """The period's days; a busy day's "more…" opens its week (from a month) or, from a week
    of the public calendar, the project finder on that day."""
    per_day = selectors.PER_DAY_MONTH if period.kind == "month" else selectors.PER_DAY_WEEK
    days = selectors.period_days(period, rows, per_day=per_day, field=field)
    for day in days:
        day.more_url = None
        if day.more and period.kind == "month":
            day.more_url = _query(filters, week=_week_param(day.date)) + f"#{day.anchor}"
        elif day.more and to_finder:
            query = filters.copy()
            query["date_from"] = query["date_to"] = day.date.isoformat()
            day.more_url = f"{reverse('projects:list')}?{query.urlencode()}"
    return days


def _render_calendar(request, template: str, period, problem, context: dict, filters=None):
    if problem:
        messages.error(request, problem)
    has_entries = any(day.entries for day in context["days"])
    navigation = _navigation(filters or QueryDict(), period)
    context.update(period=period, has_entries=has_entries, **navigation)
    return render(request, template, context, status=400 if problem else 200)


# --- the calendars --------------------------------------------------------------------------


@require_GET
@public_page_cache(CACHE_SECONDS, version=project_selectors.list_version)
def public_calendar(request):
    """Shifts of published projects, with the project finder's own filters."""
    period, problem = periods.period_from_query(request.GET)
    form = selectors.filter_form(request.GET)
    rows = selectors.public_shifts(selectors.filters_of(form))
    # Links carry the valid filters only: junk in the address is not passed on.
    filters = QueryDict(selectors.valid_filters(request.GET))
    context = {
        "form": form,
        "more_open": any(request.GET.get(name) for name in MORE_FILTERS),
        "days": _days(period, rows, filters=filters, to_finder=True),
        "filters_query": filters.urlencode(),
        "save_form": forms.SavedSearchForm(initial={"query": filters.urlencode()}),
    }
    return _render_calendar(request, "calendars/public.html", period, problem, context, filters)


@login_required
@require_GET
def my_calendar(request):
    """The volunteer's own signups (pending and waitlisted marked; cancelled ones gone)."""
    period, problem = periods.period_from_query(request.GET)
    volunteer = volunteer_of(request.user)
    days = []
    if volunteer is not None:
        rows = selectors.my_signups(volunteer)
        days = _days(period, rows, filters=QueryDict(), field="shift__starts_at")
    context = {"volunteer": volunteer, "days": days}
    return _render_calendar(request, "calendars/mine.html", period, problem, context)


@require_GET
def org_calendar(request, pk: int):
    """An organisation's published projects' shifts; its organisers also see their drafts."""
    org = selectors.visible_org(user=request.user, pk=pk)
    period, problem = periods.period_from_query(request.GET)
    drafts = permissions.can_see_draft_shifts(request.user, org)
    rows = selectors.org_shifts(org, drafts=drafts)
    verified = org.status == org.Status.VERIFIED  # only they have a public feed
    feed_url = links.org_feed_url(request, org) if verified else None
    context = {
        "org": org,
        "drafts": drafts,
        "days": _days(period, rows, filters=QueryDict()),
        "feed_url": feed_url,
        "webcal_url": links.webcal(feed_url) if feed_url else None,
    }
    return _render_calendar(request, "calendars/org.html", period, problem, context)


# --- my private feed URL --------------------------------------------------------------------


def _feed_page(request, volunteer, *, new_url: str | None = None, status: int = 200):
    token = selectors.current_feed_token(volunteer) if volunteer else None
    context = {
        "volunteer": volunteer,
        "token": token,
        "new_url": new_url,
        "new_webcal_url": links.webcal(new_url) if new_url else None,
    }
    return render(request, "calendars/feed.html", context, status=status)


@login_required
@require_GET
def feed(request):
    return _feed_page(request, volunteer_of(request.user))


@login_required
@require_POST
def feed_issue(request):
    """Issue a new private URL and show it on this answer only: the key is never stored, so
    it is not carried to another request either (reloading asks to re-send, and re-issues)."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return _feed_page(request, None, status=400)
    _token, key = services.feed_token_issue(volunteer=volunteer)
    return _feed_page(request, volunteer, new_url=links.volunteer_feed_url(request, key))


@login_required
@require_POST
def feed_revoke(request):
    volunteer = volunteer_of(request.user)
    if volunteer is not None and services.feed_token_revoke(volunteer=volunteer):
        messages.success(request, _("The feed URL is revoked: calendar apps get nothing more."))
    return redirect("calendars:feed")


# --- saved searches -------------------------------------------------------------------------


def _search_form_errors(form, error) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def searches(request):
    form = forms.SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(user=request.user, **form.cleaned_data)
        except ServiceError as error:
            _search_form_errors(form, error)
        else:
            messages.success(request, _("Saved. Subscribe to its feed below."))
            return redirect("calendars:searches")
    rows = list(selectors.my_searches(user=request.user))
    options = ListFilterForm()  # its option lists describe every search
    for search in rows:
        search.described = selectors.describe_filters(search.query, options)
        search.feed_url = links.search_feed_url(request, search)
        search.webcal_url = links.webcal(search.feed_url)
        search.copy_id = f"search-feed-{search.pk}"
    status = 400 if request.method == "POST" else 200
    return render(
        request, "calendars/searches.html", {"searches": rows, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def search_edit(request, pk: int):
    search = selectors.own_search(user=request.user, pk=pk)
    initial = {"name": search.name, "query": search.query}
    form = forms.SavedSearchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_update(actor=request.user, search=search, **form.cleaned_data)
        except ServiceError as error:
            _search_form_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("calendars:searches")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "calendars/search_edit.html", {"search": search, "form": form}, status=status
    )


@login_required
@require_POST
def search_delete(request, pk: int):
    search = selectors.own_search(user=request.user, pk=pk)
    services.saved_search_delete(actor=request.user, search=search)
    messages.success(request, _("Deleted. Its feed is gone too."))
    return redirect("calendars:searches")
