"""Reads of the hour tallies: the one place rankings, the dashboard and economic value get
hours from. Every function reads summary rows by index; none sums the ledger.

Arguments: `kind` is a `Tally.Kind`; `region_id` a city or a district (the district where
the service was done); `year=0` means all time, `month=0` the whole year.
"""

from django.db.models import QuerySet

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
    return with_ties_at_the_boundary(rows, limit=limit, value="minutes")


def with_ties_at_the_boundary(rows: QuerySet, *, limit: int, value: str) -> list[tuple]:
    """The first `limit` of `rows` plus every other row tied with the last of them: ties share
    a rank, so a tie at the boundary is not cut. `rows` is a values_list of (id, `value`)
    ordered by `value` descending (`value` may be an annotation: the filter becomes HAVING)."""
    found = list(rows[:limit])
    if found and len(found) == limit:
        seen = {row[0] for row in found}
        found += [row for row in rows.filter(**{value: found[-1][1]}) if row[0] not in seen]
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


def by_year(kind, region_id, subject_id: int = 0) -> dict[int, int]:
    """{year: minutes} of one subject in a region."""
    rows = Tally.objects.filter(
        kind=kind, region_id=region_id, month=0, subject_id=subject_id
    ).exclude(year=0)
    return dict(rows.values_list("year", "minutes"))


def by_year_and_subject(kind, region_id, subject_ids=None) -> dict[tuple[int, int], int]:
    """{(year, subject_id): minutes}: e.g. a district's hours per year and category."""
    rows = Tally.objects.filter(kind=kind, region_id=region_id, month=0).exclude(year=0)
    if subject_ids is not None:
        rows = rows.filter(subject_id__in=list(subject_ids))
    return {(y, s): m for y, s, m in rows.values_list("year", "subject_id", "minutes")}


def by_region_year_and_subject(kind, region_ids) -> dict[int, dict[tuple[int, int], int]]:
    """{region_id: {(year, subject_id): minutes}} of several regions in one read: e.g. every
    district's hours per year and category (`by_year_and_subject` of each)."""
    found: dict[int, dict[tuple[int, int], int]] = {region_id: {} for region_id in region_ids}
    rows = Tally.objects.filter(kind=kind, region_id__in=list(found), month=0).exclude(year=0)
    for region_id, year, subject_id, minutes in rows.values_list(
        "region_id", "year", "subject_id", "minutes"
    ):
        found[region_id][year, subject_id] = minutes
    return found
