"""Reads of the hour tallies: the one place rankings, the dashboard and economic value get
hours from. Every function reads summary rows by index; none sums the ledger.

Arguments: `kind` is a `Tally.Kind`; `region_id` a city or a district (the district where
the service was done); `year=0` means all time, `month=0` the whole year.
`naive_*` functions sum the ledger directly: the tests' and benchmarks' yardstick.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from gongyi.service.models import ServiceRecord
from gongyi.stats.models import Tally

Kind = Tally.Kind


def _rows(kind, region_id, year: int = 0, month: int = 0) -> QuerySet[Tally]:
    return Tally.objects.filter(kind=kind, region_id=region_id, year=year, month=month)


def figure(kind, region_id, subject_id: int = 0, year: int = 0, month: int = 0) -> tuple[int, int]:
    """(minutes, records) of one subject in a region and period."""
    found = (
        _rows(kind, region_id, year, month)
        .filter(subject_id=subject_id)
        .values_list("minutes", "records")
        .first()
    )
    return found or (0, 0)


def top(
    kind, region_id, year: int = 0, month: int = 0, *, limit: int = 100, among=None
) -> list[tuple[int, int]]:
    """[(subject_id, minutes)] of the `limit` largest, plus any tied with the last one (ties
    share a rank, so a tie at the boundary is not cut). `among`: a queryset of allowed ids."""
    rows = _rows(kind, region_id, year, month).filter(minutes__gt=0)
    if among is not None:
        rows = rows.filter(subject_id__in=among)
    rows = rows.order_by("-minutes", "subject_id").values_list("subject_id", "minutes")
    found = list(rows[:limit])
    if len(found) == limit:
        last = found[-1][1]
        seen = {subject for subject, _ in found}
        found += [row for row in rows.filter(minutes=last) if row[0] not in seen]
    return found


def by_subject(kind, region_id, year: int = 0, month: int = 0) -> dict[int, tuple[int, int]]:
    """{subject_id: (minutes, records)} of every subject of a kind (small kinds: categories)."""
    rows = _rows(kind, region_id, year, month).values_list("subject_id", "minutes", "records")
    return {subject: (minutes, records) for subject, minutes, records in rows}


def by_region(kind, region_ids, subject_id: int = 0, year: int = 0, month: int = 0) -> dict:
    """{region_id: (minutes, records)} of one subject over several regions (the districts)."""
    rows = Tally.objects.filter(
        kind=kind, region_id__in=list(region_ids), year=year, month=month, subject_id=subject_id
    ).values_list("region_id", "minutes", "records")
    return {region: (minutes, records) for region, minutes, records in rows}


def by_month(kind, region_id, year: int, subject_id: int = 0) -> dict[int, tuple[int, int]]:
    """{month: (minutes, records)} of one subject in one year (months with no service absent)."""
    rows = (
        Tally.objects.filter(kind=kind, region_id=region_id, year=year, subject_id=subject_id)
        .exclude(month=0)
        .values_list("month", "minutes", "records")
    )
    return {month: (minutes, records) for month, minutes, records in rows}


def by_year(kind, region_id, subject_id: int = 0, subject_ids=None) -> dict[int, int]:
    """{year: minutes} of one subject (or the sum over `subject_ids`) in a region."""
    rows = Tally.objects.filter(kind=kind, region_id=region_id, month=0).exclude(year=0)
    if subject_ids is not None:
        rows = rows.filter(subject_id__in=subject_ids)
    else:
        rows = rows.filter(subject_id=subject_id)
    totals = rows.values("year").annotate(total=Sum("minutes")).values_list("year", "total")
    return dict(totals)


def by_year_and_subject(kind, region_id, subject_ids=None) -> dict[tuple[int, int], int]:
    """{(year, subject_id): minutes}: e.g. a district's hours per year and category."""
    rows = Tally.objects.filter(kind=kind, region_id=region_id, month=0).exclude(year=0)
    if subject_ids is not None:
        rows = rows.filter(subject_id__in=list(subject_ids))
    return {(y, s): m for y, s, m in rows.values_list("year", "subject_id", "minutes")}


# --- the yardstick: sums straight over the ledger --------------------------------------------


def effective_records() -> QuerySet[ServiceRecord]:
    """Records that count: nothing corrects them and they have minutes."""
    corrected = ServiceRecord.objects.filter(corrects_id=OuterRef("pk"))
    return ServiceRecord.objects.filter(~Exists(corrected), minutes__gt=0)


def naive_top(field: str, region_q: Q, *, limit: int = 100, **filters) -> list[tuple[int, int]]:
    """The top by a GROUP BY over effective records (what the tallies replace)."""
    return list(
        effective_records()
        .filter(region_q, **filters)
        .values(field)
        .annotate(total=Sum("minutes"))
        .order_by("-total", field)
        .values_list(field, "total")[:limit]
    )
