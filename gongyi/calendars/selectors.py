"""Reads of the calendars: which shifts (or signups) fall on which day, feeds' rows, tokens.

Every calendar query is bounded: one period (at most six weeks of days) or one feed window,
a cap per day (busy days say "more…") or per feed, and the rows it shows joined in the
same query. The public calendar's filters are the project finder's own (its form and
`gongyi.projects.selectors.public_projects`), so both always agree on what matches.
"""

import datetime
import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db.models import Count, F, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber, TruncDate
from django.http import Http404, QueryDict
from django.utils.http import urlencode
from django.utils.translation import pgettext

from gongyi import permissions
from gongyi.accounts.api_auth import token_hash
from gongyi.calendars.models import FeedToken, SavedSearch
from gongyi.calendars.periods import Period, local_midnight, local_today
from gongyi.core.clock import LOCAL_TZ
from gongyi.orgs.models import Organisation
from gongyi.projects import selectors as project_selectors
from gongyi.projects.forms import ListFilterForm
from gongyi.projects.models import Project, Shift
from gongyi.signups.models import Signup

PER_DAY_MONTH = 4  # entries in a month's day cell before "more…"
PER_DAY_WEEK = 30  # entries in a week's day before "more…" (to the finder, that day)
# The query-string fields of the finder that filter (sort and location only order results).
FILTER_FIELDS = (
    "q",
    "district",
    "category",
    "beneficiary",
    "mode",
    "date_from",
    "date_to",
    "weekday",
    "time_of_day",
    "places_left",
)
MAX_QUERY_LENGTH = 1000
SHOWN_SIGNUPS = ("pending", "confirmed", "waitlisted")  # cancelled and rejected are gone
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
SEARCH_KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,32}")


# --- the finder's filters -------------------------------------------------------------------


def filter_form(query) -> ListFilterForm:
    """The finder's form on a query (invalid filters are ignored there, as in the finder)."""
    return ListFilterForm(query or None)


def filters_of(form: ListFilterForm) -> project_selectors.ProjectFilters:
    # Sorting and "near me" only order the finder's list: a calendar is ordered by time.
    return replace(form.filters(), sort="newest", lat=None, lng=None)


def project_filters(query) -> project_selectors.ProjectFilters:
    return filters_of(filter_form(query))


def normalise_query(raw: str) -> str:
    """The filters of a finder query string, valid ones only, in a fixed order."""
    return valid_filters(QueryDict(raw[:MAX_QUERY_LENGTH].lstrip("?")))


def valid_filters(data: QueryDict) -> str:
    """The valid finder filters of a query, encoded in a fixed order (sort, location, the
    period and anything unknown left out)."""
    form = ListFilterForm(data)
    form.is_valid()
    kept: list[tuple[str, str]] = []
    for name in FILTER_FIELDS:
        value = form.cleaned_data.get(name)
        if value in (None, "", [], False):
            continue
        if name == "q":
            kept.append((name, value.strip()))
        elif name == "places_left":
            kept.append((name, "1"))
        else:
            kept += [(name, raw_value.strip()) for raw_value in data.getlist(name)]
    return urlencode(kept)


def describe_filters(query: str, form: ListFilterForm | None = None) -> list[str]:
    """The saved filters in words ("黄浦区", "星期六、星期日"…), from the finder's option
    lists (cached), so describing twenty searches costs no query."""
    form = form or ListFilterForm()
    data = QueryDict(query)
    parts = []
    for name in FILTER_FIELDS:
        values = [value for value in data.getlist(name) if value]
        if not values:
            continue
        field = form.fields[name]
        if name == "q":
            parts.append(f"“{values[0]}”")
        elif name == "places_left":
            parts.append(str(field.label))
        elif name in ("date_from", "date_to"):
            parts.append(f"{field.label} {values[0]}")
        else:
            labels = {str(value): str(label) for value, label in field.widget.choices}
            separator = pgettext("between items of a list", ", ")
            parts.append(separator.join(labels.get(value, value) for value in values))
    return parts


# --- what a calendar shows --------------------------------------------------------------------


def _with_rows(shifts: QuerySet[Shift]) -> QuerySet[Shift]:
    """The shift with what an entry shows (project, organisation, place) in one query."""
    return shifts.select_related("project__organisation", "point").defer(
        "project__description",
        "project__search_tokens",
        "project__organisation__introduction",
    )


def _matching_project_ids(filters: project_selectors.ProjectFilters) -> RawSQL | None:
    """The finder's own query for these filters, as an uncorrelated SQL subquery.

    Compiled to SQL rather than nested as a queryset: the finder's keyword filter on
    PostgreSQL names the table `projects_project`, which Django would re-alias inside a
    nested subquery. None: nothing can match (an empty keyword after segmenting)."""
    projects = project_selectors.public_projects(filters).order_by().values("pk")
    try:
        sql, params = projects.query.sql_with_params()
    except EmptyResultSet:
        return None
    return RawSQL(sql, params)


def public_shifts(filters: project_selectors.ProjectFilters) -> QuerySet[Shift]:
    """Shifts of published projects that match the finder's filters, each shift itself too
    (on a chosen weekday, time of day, date, with places left)."""
    project_ids = _matching_project_ids(filters)
    if project_ids is None:
        return Shift.objects.none()
    shifts = Shift.objects.filter(project_id__in=project_ids)
    conditions = project_selectors.shift_conditions(filters)
    if conditions is not None:
        shifts = shifts.filter(conditions)
    return _with_rows(shifts)


def org_shifts(org: Organisation, *, drafts: bool = False) -> QuerySet[Shift]:
    """An organisation's published projects' shifts (and its drafts' for its organisers)."""
    statuses = [Project.Status.PUBLISHED]
    if drafts:
        statuses.append(Project.Status.DRAFT)
    return _with_rows(Shift.objects.filter(project__organisation=org, project__status__in=statuses))


def my_signups(volunteer) -> QuerySet[Signup]:
    """The volunteer's live signups: pending, confirmed and waitlisted (never cancelled)."""
    return Signup.objects.filter(volunteer=volunteer, status__in=SHOWN_SIGNUPS).select_related(
        "shift__project__organisation", "shift__point"
    )


def between(rows: QuerySet, starts, ends, *, field: str = "starts_at") -> QuerySet:
    """Rows whose shift starts in [starts, ends), soonest first."""
    return rows.filter(**{f"{field}__gte": starts, f"{field}__lt": ends}).order_by(field, "pk")


def public_org(*, pk: int) -> Organisation:
    """A verified organisation (the only ones with a public feed), or 404."""
    project_selectors.check_pk(pk)
    org = Organisation.objects.filter(pk=pk, status=Organisation.Status.VERIFIED).first()
    if org is None:
        raise Http404
    return org


def visible_org(*, user, pk: int) -> Organisation:
    """An organisation whose calendar the user may see (404 otherwise, existing or not)."""
    project_selectors.check_pk(pk)
    org = Organisation.objects.select_related("district").filter(pk=pk).first()
    if org is None or not permissions.can_see_org_calendar(user, org):
        raise Http404
    return org


# --- days of a period -------------------------------------------------------------------------


@dataclass
class Entry:
    """One line of a calendar: a shift, and for "my calendar" the volunteer's signup."""

    shift: Shift
    signup: Signup | None = None

    @property
    def project(self) -> Project:
        return self.shift.project

    @property
    def is_draft(self) -> bool:
        return self.shift.project.status == Project.Status.DRAFT


@dataclass
class Day:
    date: datetime.date
    in_period: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.entries)

    @property
    def anchor(self) -> str:
        return f"d{self.date:%Y%m%d}"


def _capped(rows: QuerySet, *, per_day: int, field: str) -> QuerySet:
    """The first `per_day` rows of each Shanghai day, each with the day's total, in one
    query (window functions): a day with 3,000 shifts costs no more than one with 4."""
    day = TruncDate(field, tzinfo=LOCAL_TZ)
    by_time = [F(field).asc(), F("pk").asc()]
    return rows.annotate(
        local_day=day,
        day_rank=Window(RowNumber(), partition_by=[day], order_by=by_time),
        day_total=Window(Count("pk"), partition_by=[day]),
    ).filter(day_rank__lte=per_day)


def period_days(
    period: Period, rows: QuerySet, *, per_day: int, field: str = "starts_at"
) -> list[Day]:
    """The period's days (a month padded to whole weeks) with their capped entries.
    `rows` are shifts, or signups with `field="shift__starts_at"`."""
    today = local_today()
    days = {
        day: Day(date=day, in_period=period.contains(day), is_today=day == today)
        for day in (period.grid_days() if period.kind == "month" else _week_days(period))
    }
    found = _capped(
        between(rows, period.starts, period.ends, field=field), per_day=per_day, field=field
    )
    for row in found:
        day = days.get(_as_date(row.local_day))
        if day is None:
            continue
        entry = Entry(shift=row.shift, signup=row) if isinstance(row, Signup) else Entry(row)
        day.entries.append(entry)
        day.total = row.day_total
    return list(days.values())


def _week_days(period: Period) -> list[datetime.date]:
    return [period.first + datetime.timedelta(days=n) for n in range(7)]


def _as_date(value) -> datetime.date:
    # SQLite hands TruncDate back as a string in some versions of the driver.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def range_rows(rows: QuerySet, starts, ends, *, limit: int, field: str = "starts_at") -> tuple:
    """Rows in [starts, ends), at most `limit`, and whether more were left out."""
    found = list(between(rows, starts, ends, field=field)[: limit + 1])
    return found[:limit], len(found) > limit


def day_range(first: datetime.date, last: datetime.date) -> tuple:
    """From the first day's Shanghai midnight to the end of the last day."""
    return local_midnight(first), local_midnight(last + datetime.timedelta(days=1))


# --- feeds and saved searches ----------------------------------------------------------------


def live_feed_token(key: str) -> FeedToken:
    """The live token with this key, or 404: unknown and revoked keys answer the same."""
    if not TOKEN_RE.fullmatch(key or ""):
        raise Http404
    token = (
        FeedToken.objects.select_related("volunteer")
        # A closed account's feed ends with it, revoked or not.
        .filter(key_hash=token_hash(key), revoked_at__isnull=True, volunteer__user__is_active=True)
        .first()
    )
    if token is None:
        raise Http404
    return token


def current_feed_token(volunteer) -> FeedToken | None:
    return FeedToken.objects.filter(volunteer=volunteer, revoked_at__isnull=True).first()


def search_by_key(key: str) -> SavedSearch:
    if not SEARCH_KEY_RE.fullmatch(key or ""):
        raise Http404
    search = SavedSearch.objects.filter(feed_key=key, user__is_active=True).first()
    if search is None:
        raise Http404
    return search


def my_searches(*, user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-id")


def own_search(*, user, pk: int) -> SavedSearch:
    """The saved search, if it is the user's: 404 when there is none, 403 for others'."""
    project_selectors.check_pk(pk)
    search = SavedSearch.objects.filter(pk=pk).first()
    if search is None:
        raise Http404
    if not permissions.can_use_saved_search(user, search):
        raise PermissionDenied
    return search


def search_filters(search: SavedSearch) -> project_selectors.ProjectFilters:
    return project_filters(QueryDict(search.query))
