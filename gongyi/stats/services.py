"""Writes of the hour tallies: queue, drain, recompute, and volunteers' ranking consent.

All three writers take the one `TallyLock` row first, so they never interleave; the record
writers (the ledger) never take it: they only insert a queue row.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import QuerySet

from gongyi.accounts.models import Volunteer
from gongyi.service.models import ServiceRecord
from gongyi.stats.models import RankingConsent, Tally, TallyLock, TallyQueue
from gongyi.stats.shapes import ALL, MONTH, REGIONS, SHAPES, YEAR, RecordKeys

BATCH = 5000
UPSERT_ROWS = 500
FIELDS = (
    "volunteer_id",
    "organisation_id",
    "project_id",
    "served_on",
    "minutes",
    "corrects__minutes",
    "project__district_id",
    "project__district__city_id",
    "project__category_id",
    "organisation__kind",
    "organisation__community_id",
)


def _lock() -> TallyLock:
    TallyLock.objects.get_or_create(pk=1)
    return TallyLock.objects.select_for_update().get(pk=1)


def queue_record(record_id: int) -> None:
    """Called inside the record's own transaction: the record and its queue row commit
    together, so the drain can never miss one nor count one twice."""
    TallyQueue.objects.create(record_id=record_id)


# --- drain ----------------------------------------------------------------------------------


def drain(*, batch: int = BATCH) -> int:
    """Add every queued record's delta to the tallies; return how many were drained."""
    drained = 0
    while n := _drain_batch(batch):
        drained += n
    return drained


def _drain_batch(batch: int) -> int:
    with transaction.atomic():
        _lock()
        ids = list(TallyQueue.objects.order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return 0
        rows = [
            RecordKeys(*values)
            for values in ServiceRecord.objects.filter(pk__in=ids).values_list(*FIELDS)
        ]
        _upsert(_deltas(rows))
        TallyQueue.objects.filter(pk__in=ids).delete()
    return len(ids)


def _deltas(rows: list[RecordKeys]) -> dict[tuple, list[int]]:
    volunteers = {row.volunteer_id for row in rows}
    consenting = set(
        RankingConsent.objects.filter(volunteer_id__in=volunteers).values_list(
            "volunteer_id", flat=True
        )
    )
    deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        minutes, records = row.delta()
        if not minutes and not records:
            continue
        for shape in SHAPES:
            subject = row.subject(shape.kind, consenting)
            if subject is None:
                continue
            for region in row.regions():
                for year, month in row.periods(shape.grains):
                    total = deltas[(str(shape.kind), region, year, month, subject)]
                    total[0] += minutes
                    total[1] += records
    return deltas


def _upsert(deltas: dict[tuple, list[int]]) -> None:
    """Add the deltas in key order (two drains could otherwise lock rows in crossed order)."""
    table = Tally._meta.db_table
    items = sorted(deltas.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), UPSERT_ROWS):
            chunk = items[start : start + UPSERT_ROWS]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = [p for key, (minutes, records) in chunk for p in (*key, minutes, records)]
            cursor.execute(
                f"INSERT INTO {table} (kind, region_id, year, month, subject_id, minutes, records)"
                f" VALUES {values} ON CONFLICT (kind, region_id, year, month, subject_id)"
                f" DO UPDATE SET minutes = {table}.minutes + excluded.minutes,"
                f" records = {table}.records + excluded.records",
                params,
            )


# --- re-keying --------------------------------------------------------------------------------


def rekey(*, records: QuerySet, before: dict) -> None:
    """Inside the transaction that changed what a record is tallied under (a project's
    district or category, an organisation's kind or community): move the effect of the
    drained `records` from the rows of their old keys (`before`, RecordKeys fields) to those
    of the new. Holding the tally lock until that transaction commits, no drain sees the
    change half done: records drained before it were added under the old keys, and records
    still queued will be drained under the new ones."""
    with transaction.atomic():
        _lock()
        drained = records.exclude(pk__in=TallyQueue.objects.values("pk"))
        now = [RecordKeys(*values) for values in drained.values_list(*FIELDS)]
        moved = _deltas(now)
        for key, (minutes, count) in _deltas(
            [dataclasses.replace(row, **before) for row in now]
        ).items():
            moved[key][0] -= minutes
            moved[key][1] -= count
        _upsert({key: total for key, total in moved.items() if total != [0, 0]})


# --- recompute ------------------------------------------------------------------------------


def recompute() -> None:
    """Rebuild every tally from the records (maintenance, and the proof the drain is right).
    Queued records are left to the drain: their rows are not in the sums."""
    with transaction.atomic():
        _lock()
        Tally.objects.all().delete()
        _insert_sums(shapes=SHAPES)


def _insert_sums(*, shapes: Iterable, only_volunteer: int | None = None) -> None:
    with connection.cursor() as cursor:
        for shape in shapes:
            if connection.vendor == "postgresql":  # one scan of the ledger per shape
                cursor.execute(*_grouping_sets_sql(shape, only_volunteer))
                continue
            for region_sql in REGIONS.values():
                for grain in shape.grains:
                    cursor.execute(*_sum_sql(shape, region_sql, grain, only_volunteer))


def _grouping_sets_sql(shape, only_volunteer: int | None):
    """PostgreSQL: every region level and grain of one shape in one INSERT … SELECT, by
    GROUPING SETS. In a set grouped by the district the city column is NULL, and the other
    way round, so COALESCE(district, city) is the set's region."""
    periods = {ALL: "", YEAR: ", t.y", MONTH: ", t.y, t.m"}
    sets = ", ".join(
        f"(t.{level}, t.subject{periods[grain]})"
        for level in ("district", "city")
        for grain in shape.grains
    )
    # A column in no grouping set cannot be selected: a shape without months has month 0.
    year = "COALESCE(t.y, 0)" if {YEAR, MONTH} & set(shape.grains) else "0"
    month = "COALESCE(t.m, 0)" if MONTH in shape.grains else "0"
    where, params = _where(shape, only_volunteer)
    sql = f"""
        INSERT INTO {Tally._meta.db_table}
            (kind, region_id, year, month, subject_id, minutes, records)
        SELECT %s, COALESCE(t.district, t.city), {year}, {month},
            t.subject, SUM(t.minutes), SUM(t.records)
        FROM (
            SELECT d.id AS district, d.city_id AS city, {shape.subject_sql} AS subject,
                EXTRACT(YEAR FROM r.served_on)::int AS y,
                EXTRACT(MONTH FROM r.served_on)::int AS m,
                {MINUTES_SQL} AS minutes, {RECORDS_SQL} AS records
            {_from_sql()}
            WHERE {" AND ".join(where)}
        ) t
        GROUP BY GROUPING SETS ({sets})
        HAVING COALESCE(t.district, t.city) IS NOT NULL
    """
    return sql, [str(shape.kind), *params]


def _where(shape, only_volunteer: int | None) -> tuple[list[str], list]:
    where, params = [f"NOT EXISTS ({_queued_sql()})"], []
    if shape.where_sql:
        where.append(shape.where_sql)
    if only_volunteer is not None:
        where.append("r.volunteer_id = %s")
        params.append(only_volunteer)
    return where, params


# Each record's delta: its minutes less those of the record it corrects (and its count).
MINUTES_SQL = "r.minutes - COALESCE(o.minutes, 0)"
RECORDS_SQL = (
    "CASE WHEN r.minutes > 0 THEN 1 ELSE 0 END - CASE WHEN o.minutes > 0 THEN 1 ELSE 0 END"
)


def _from_sql() -> str:
    record = _table("service", "ServiceRecord")
    return f"""FROM {record} r
        LEFT JOIN {record} o ON o.id = r.corrects_id
        JOIN {_table("projects", "Project")} p ON p.id = r.project_id
        JOIN {_table("regions", "Region")} d ON d.id = p.district_id
        JOIN {_table("orgs", "Organisation")} g ON g.id = r.organisation_id"""


def _sum_sql(shape, region_sql: str, grain: str, only_volunteer: int | None):
    """INSERT … SELECT of one shape, region level and period grain (SQLite): each record's
    delta summed by key."""
    ops = connection.ops
    params: list = [str(shape.kind)]
    year, month = "0", "0"
    if grain in (YEAR, MONTH):
        year, year_params = ops.date_extract_sql("year", "r.served_on", ())
        params += year_params
    if grain == MONTH:
        month, month_params = ops.date_extract_sql("month", "r.served_on", ())
        params += month_params
    where, where_params = _where(shape, only_volunteer)
    where.append(f"{region_sql} IS NOT NULL")
    params += where_params
    sql = f"""
        INSERT INTO {Tally._meta.db_table}
            (kind, region_id, year, month, subject_id, minutes, records)
        SELECT %s, {region_sql}, {year}, {month}, {shape.subject_sql},
            SUM({MINUTES_SQL}), SUM({RECORDS_SQL})
        {_from_sql()}
        WHERE {" AND ".join(where)}
        GROUP BY 1, 2, 3, 4, 5
    """
    return sql, params


def _queued_sql() -> str:
    return f"SELECT 1 FROM {TallyQueue._meta.db_table} q WHERE q.record_id = r.id"


def _table(app: str, model: str) -> str:
    from django.apps import apps

    return apps.get_model(app, model)._meta.db_table


# --- consent --------------------------------------------------------------------------------


def set_ranking_consent(*, volunteer: Volunteer, given: bool) -> bool:
    """Let the volunteer's hours appear in the volunteer rankings (or stop them). Their
    per-volunteer tallies are built (or removed) under the lock, from their records."""
    from gongyi.core.audit import audit_log

    with transaction.atomic():
        _lock()
        had = RankingConsent.objects.filter(volunteer=volunteer).exists()
        if had == given:
            return given
        Tally.objects.filter(kind=Tally.Kind.VOLUNTEER, subject_id=volunteer.pk).delete()
        if given:
            RankingConsent.objects.create(volunteer=volunteer)
            volunteer_shape = [s for s in SHAPES if s.kind == Tally.Kind.VOLUNTEER]
            _insert_sums(shapes=volunteer_shape, only_volunteer=volunteer.pk)
        else:
            RankingConsent.objects.filter(volunteer=volunteer).delete()
        action = "ranking.consent_given" if given else "ranking.consent_withdrawn"
        audit_log(actor=volunteer.user, action=action, target=volunteer)
    return given
