"""The stretch of days a calendar page shows: a month (`?month=2026-11`) or an ISO week
(`?week=2026-W48`, the format of `<input type=week>`), read in Shanghai time.

A value that is not a month or a week is never an error page: the calendar shows the
current period with a message saying what was wrong.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongyi.core.clock import LOCAL_TZ, local_today

MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
WEEK_RE = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
# Far enough for any plan; bounded so prev/next never walks into dates Python cannot hold.
FIRST_YEAR, LAST_YEAR = 2000, 2100
ONE_DAY = datetime.timedelta(days=1)

BAD_MONTH = _("“%(value)s” is not a month (write it like 2026-11); showing this month.")
BAD_WEEK = _("“%(value)s” is not a week (write it like 2026-W48); showing this week.")
OUT_OF_RANGE = _("The calendar covers the years %(first)d to %(last)d; showing today.")


def local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class Period:
    kind: str  # "month" or "week"
    first: datetime.date  # the 1st of the month, or the Monday of the week
    last: datetime.date  # inclusive

    @property
    def starts(self) -> datetime.datetime:
        return local_midnight(self.first)

    @property
    def ends(self) -> datetime.datetime:
        return local_midnight(self.last + ONE_DAY)

    @property
    def grid_first(self) -> datetime.date:
        """The Monday on or before the first day: where the month's grid starts."""
        return self.first - datetime.timedelta(days=self.first.weekday())

    @property
    def grid_last(self) -> datetime.date:
        return self.last + datetime.timedelta(days=6 - self.last.weekday())

    def grid_days(self) -> list[datetime.date]:
        count = (self.grid_last - self.grid_first).days + 1
        return [self.grid_first + datetime.timedelta(days=n) for n in range(count)]

    @property
    def param(self) -> str:
        """This period as its query value (`2026-11` or `2026-W48`)."""
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        year, week, _day = self.first.isocalendar()
        return f"{year}-W{week:02d}"

    def previous(self) -> "Period | None":
        day = self.first - ONE_DAY
        return _in_range(month_of(day) if self.kind == "month" else week_of(day))

    def next(self) -> "Period | None":
        day = self.last + ONE_DAY
        return _in_range(month_of(day) if self.kind == "month" else week_of(day))

    def contains(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last


def month_of(day: datetime.date) -> Period:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return Period("month", first, following - ONE_DAY)


def week_of(day: datetime.date) -> Period:
    monday = day - datetime.timedelta(days=day.weekday())
    return Period("week", monday, monday + datetime.timedelta(days=6))


def _in_range(period: Period) -> Period | None:
    return period if FIRST_YEAR <= period.first.year <= LAST_YEAR else None


def _parse_month(value: str) -> Period | None:
    match = MONTH_RE.fullmatch(value)
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    return month_of(datetime.date(int(match[1]), int(match[2]), 1))


def _parse_week(value: str) -> Period | None:
    match = WEEK_RE.fullmatch(value)
    if not match:
        return None
    try:
        return week_of(datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1))
    except ValueError:  # week 0, or week 53 of a year that has 52
        return None


def period_from_query(query, *, today: datetime.date | None = None) -> tuple[Period, str | None]:
    """The period `?week=` or `?month=` asks for, or the current one and why not.

    A week wins over a month (the week view's links carry only `week`)."""
    today = today or local_today()
    week, month = (query.get("week") or "").strip(), (query.get("month") or "").strip()
    if week:
        found, fallback, problem = _parse_week(week[:20]), week_of(today), BAD_WEEK
        value = week
    elif month:
        found, fallback, problem = _parse_month(month[:20]), month_of(today), BAD_MONTH
        value = month
    else:
        return month_of(today), None
    if found is None:
        return fallback, str(problem % {"value": value[:20]})
    if _in_range(found) is None:
        return fallback, str(OUT_OF_RANGE % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return found, None
