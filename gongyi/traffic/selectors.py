"""The platform's own traffic: page views per day and the day's peak of concurrent visitors,
measured by the platform itself (`gongyi.traffic.middleware`).

Definitions (shown on the dashboard, see DEFINITIONS):

- A visit is one page view: a GET (or HEAD) request answered 200 with an HTML page (text/html).
  Static files, uploaded media, the API (/api/), the health probe (/healthz), the admin
  (/admin/), errors (404, 500…), redirects, form posts and htmx fragments swapped into a page
  are not visits; neither are requests from bots, crawlers, link-preview fetchers or without
  a user agent (the test of `gongyi.core.useragents`).
- A visitor is the browser's session when it has one, else its address and user agent,
  stored only as a keyed hash (HMAC with the site's secret key, salted by the day): no
  address, user agent or session key is ever stored, and a visitor cannot be followed from
  one day to the next.
- Concurrent visitors are the distinct visitors who viewed a page in the same minute
  (Asia/Shanghai). The day's peak is its largest minute, and the peak minute is that minute
  (the earliest one on a tie).
- Days are Shanghai local days. Per-visitor rows are kept two days; minute figures ninety
  days; day figures for good.

Days that have been rolled up (`services.rollup`) after they ended are read from their
`TrafficDay` row; today and any day not yet rolled up are computed live from the minute and
visitor rows. Both give the same figures (the tests check it).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from gongyi.core.clock import LOCAL_TZ as SHANGHAI
from gongyi.core.clock import local_today
from gongyi.traffic.models import TrafficDay, TrafficMinute, TrafficVisitor

# A day rolled up this long after its end is final: the app processes have written their
# last buffered minutes of it by then (each flushes every few seconds while it serves).
SETTLE = timedelta(minutes=10)

DEFINITIONS = [
    (
        _("Visits"),
        _(
            "Page views: a page of the platform opened in a browser (answered with a page, "
            "not an error). Files, the API, the administration, bots, crawlers and "
            "link-preview fetchers are not counted."
        ),
    ),
    (
        _("Concurrent visitors"),
        _(
            "Distinct visitors who opened a page in the same minute (Beijing time). The "
            "day's peak is its busiest minute."
        ),
    ),
    (
        _("Visitors"),
        _(
            "A visitor is a browser session, or else an address with its browser, kept only "
            "as a keyed hash salted by the day: no address or session is stored."
        ),
    ),
]


@dataclass(frozen=True)
class DayTraffic:
    day: date
    visits: int
    peak_concurrent: int
    peak_minute: datetime | None  # aware, in Asia/Shanghai


@dataclass(frozen=True)
class TrafficTotals:
    start: date
    end: date
    visits: int
    peak_concurrent: int
    peak_minute: datetime | None  # the busiest minute of the whole range


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Shanghai day as [start, end) aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def is_settled(row: TrafficDay) -> bool:
    """Rolled up after the day was over (and its last minutes were written)."""
    return row.rolled_up_at >= day_bounds(row.day)[1] + SETTLE


def live_days(days: list[date]) -> dict[date, DayTraffic]:
    """Each day's figures computed from the minute and visitor rows (two queries)."""
    if not days:
        return {}
    start, end = day_bounds(min(days))[0], day_bounds(max(days))[1]
    wanted = set(days)
    visits: dict[date, int] = {}
    minutes = TrafficMinute.objects.filter(minute__gte=start, minute__lt=end)
    for row in (
        minutes.annotate(day=TruncDate("minute", tzinfo=SHANGHAI))
        .values("day")
        .annotate(total=Sum("visits"))
        .order_by()
    ):
        visits[row["day"]] = row["total"] or 0
    peaks: dict[date, tuple[int, datetime]] = {}
    visitors = TrafficVisitor.objects.filter(minute__gte=start, minute__lt=end)
    per_minute = visitors.values("minute").annotate(n=Count("id")).order_by("minute")
    for minute, count in per_minute.values_list("minute", "n"):
        local = minute.astimezone(SHANGHAI)
        best = peaks.get(local.date())
        if best is None or count > best[0]:  # in minute order: the earliest wins a tie
            peaks[local.date()] = (count, local)
    result = {}
    for day in wanted:
        peak, minute = peaks.get(day, (0, None))
        result[day] = DayTraffic(day, visits.get(day, 0), peak, minute)
    return result


def merged(live: DayTraffic, row: TrafficDay | None) -> DayTraffic:
    """The live figures, or the rolled-up ones where those are larger: a day's figures only
    grow, so a smaller live figure means its rows were pruned after the roll-up."""
    if row is None:
        return live
    visits = max(live.visits, row.visits)
    if row.peak_concurrent >= live.peak_concurrent and row.peak_concurrent > 0:
        peak, minute = row.peak_concurrent, row.peak_minute.astimezone(SHANGHAI)
    else:
        peak, minute = live.peak_concurrent, live.peak_minute
    return DayTraffic(live.day, visits, peak, minute)


def from_row(row: TrafficDay) -> DayTraffic:
    minute = row.peak_minute.astimezone(SHANGHAI) if row.peak_minute else None
    return DayTraffic(row.day, row.visits, row.peak_concurrent, minute)


def visits_by_day(start: date, end: date) -> list[DayTraffic]:
    """One entry per Shanghai day from `start` to `end`, both included, oldest first. Days
    after today are zeros."""
    if end < start:
        return []
    today = local_today()
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    rows = {row.day: row for row in TrafficDay.objects.filter(day__gte=start, day__lte=end)}
    to_compute = [
        day
        for day in days
        if day <= today and not (day < today and day in rows and is_settled(rows[day]))
    ]
    live = live_days(to_compute)
    result = []
    for day in days:
        if day in live:
            result.append(merged(live[day], rows.get(day)))
        elif day in rows:
            result.append(from_row(rows[day]))
        else:
            result.append(DayTraffic(day, 0, 0, None))
    return result


def totals(start: date, end: date) -> TrafficTotals:
    """Page views of the range and its busiest minute (the largest daily peak; the earliest
    day on a tie)."""
    return totals_of(start, end, visits_by_day(start, end))


def totals_of(start: date, end: date, days: list[DayTraffic]) -> TrafficTotals:
    """`totals` of days already read (`visits_by_day(start, end)`), without reading again."""
    busiest = max(days, key=lambda d: d.peak_concurrent, default=None)
    if busiest is None or busiest.peak_concurrent == 0:
        return TrafficTotals(start, end, sum(d.visits for d in days), 0, None)
    return TrafficTotals(
        start, end, sum(d.visits for d in days), busiest.peak_concurrent, busiest.peak_minute
    )
