"""Reads of rankings: live top-100s from the hour tallies, published lists, and the
parameters a page or API call may give (subject, region, period), checked."""

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.core.errors import ServiceError
from gongyi.rankings.models import PublishedRanking
from gongyi.rankings.subjects import SUBJECTS, names
from gongyi.regions.models import Region
from gongyi.regions.selectors import default_city, region_by_code
from gongyi.service.ledger import hours
from gongyi.service.selectors import counting_records
from gongyi.stats import selectors as tallies

LIMIT = 100
CACHE_SECONDS = 20  # the tallies are seconds behind the ledger; this keeps within the minute
FIRST_YEAR = 2000
RANKED_LEVELS = (Region.Level.CITY, Region.Level.DISTRICT)


@dataclass(frozen=True)
class Query:
    subject: str
    region: Region
    year: int = 0
    month: int = 0

    @property
    def period(self) -> str:
        if not self.year:
            return "all"
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)


@dataclass
class Ranking:
    query: Query
    entries: list[dict] = field(default_factory=list)
    computed_at: object = None


def parse_period(text: str) -> tuple[int, int]:
    """ "all", "2026" or "2026-11" -> (year, month); anything else is a clear error."""
    text = (text or "all").strip()
    if text == "all":
        return 0, 0
    try:
        parts = [int(p) for p in text.split("-")]
        year, month = ([*parts, 0])[:2] if len(parts) <= 2 else (0, -1)
    except ValueError:
        year, month = 0, -1
    this_year = timezone.localdate().year
    if not (FIRST_YEAR <= year <= this_year + 1) or not (0 <= month <= 12):
        raise ServiceError(
            "bad_period",
            _("Choose a period: all, a year like 2026, or a month like 2026-11."),
            field="period",
        )
    return year, month


def parse_query(*, subject: str, region_code: str, period: str, default_region=None) -> Query:
    subject = subject or "organisations"
    if subject not in SUBJECTS:
        raise ServiceError("bad_subject", _("No such ranking."), field="subject")
    if region_code:
        # region_by_code never asks the database for a malformed code (a NUL byte would
        # make PostgreSQL raise): such a code is "no such region", a 400.
        region = region_by_code(region_code)
        if region is None or region.level not in RANKED_LEVELS:
            raise ServiceError("bad_region", _("No such city or district."), field="region")
    else:
        region = default_region or default_city()
        if region is None:
            raise ServiceError("bad_region", _("No city has been set up yet."), field="region")
    year, month = parse_period(period)
    return Query(subject, region, year, month)


def with_ranks(rows: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """[(rank, id, minutes)]: equal minutes share a rank, the next rank skips (1, 2, 2, 4)."""
    ranked, previous, rank = [], None, 0
    for position, (subject_id, minutes) in enumerate(rows, start=1):
        if minutes != previous:
            rank, previous = position, minutes
        ranked.append((rank, subject_id, minutes))
    return ranked


def _entries(subject: str, rows: list[tuple[int, int]]) -> list[dict]:
    named = names(subject, [subject_id for subject_id, _ in rows])
    unknown = {"name": "—", "district": "", "url": ""}
    return [
        {
            "rank": rank,
            "subject_id": subject_id,
            "minutes": minutes,
            "hours": float(hours(minutes)),  # rounded half up, as every other page shows hours
            **named.get(subject_id, unknown),
        }
        for rank, subject_id, minutes in with_ranks(rows)
    ]


def live_ranking(query: Query) -> Ranking:
    """The top 100 (and ties at the boundary) now, from the tallies."""
    key = f"rankings:{query.subject}:{query.region.pk}:{query.year}:{query.month}"
    found = cache.get(key)
    if found is None:
        spec = SUBJECTS[query.subject]
        among = spec.among() if spec.among else None
        rows = tallies.top(
            spec.kind, query.region.pk, query.year, query.month, limit=LIMIT, among=among
        )
        found = Ranking(query, _entries(query.subject, rows), timezone.now())
        cache.set(key, found, CACHE_SECONDS)
    return found


def ledger_ranking(query: Query, *, as_of: date) -> list[dict]:
    """The top 100 summed straight from the effective records served up to `as_of`: what a
    published list freezes (and the yardstick the tallies are checked against)."""
    spec = SUBJECTS[query.subject]
    records = counting_records().filter(served_on__lte=as_of)
    if query.region.level == Region.Level.CITY:
        records = records.filter(project__district__city=query.region)
    else:
        records = records.filter(project__district=query.region)
    if query.year:
        records = records.filter(served_on__year=query.year)
    if query.month:
        records = records.filter(served_on__month=query.month)
    if spec.ledger_filter:
        records = records.filter(spec.ledger_filter())
    rows = (
        records.values(spec.ledger_field)
        .annotate(total=Sum("minutes"))
        .filter(total__gt=0)
        .order_by("-total", spec.ledger_field)
        .values_list(spec.ledger_field, "total")
    )
    found = tallies.with_ties_at_the_boundary(rows, limit=LIMIT, value="total")
    return _entries(query.subject, found)


def published_lists(*, region: Region | None = None):
    found = PublishedRanking.objects.select_related("region").defer("entries")
    if region is not None:
        found = found.filter(region=region)
    return found
