"""`verify_ledger` over 1,000,000 service records: records/s, against a plain streaming SELECT.

Fills the ledger fast (PostgreSQL COPY, SQLite bulk inserts) with correct hash chains
computed in Python (~50,000 volunteers, seq 1..n each, continuing any chain already there),
then times `manage.py verify_ledger` (one streamed query, every hash recomputed) beside a
baseline in the same run: the same query streamed with no hashing. The ratio is the price
of the check over just reading the rows.

BENCH_LEDGER_ROWS sets the number of records (default 1,000,000). On SQLite the benchmark
runs only when BENCH_LEDGER_ROWS is given and at most 200,000.
"""

import datetime
import io
import os
import random
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from gongyi.accounts.models import Volunteer
from gongyi.projects.models import Project
from gongyi.service import ledger
from gongyi.service.models import ServiceRecord

DEFAULT_ROWS = 1_000_000
SQLITE_LIMIT = 200_000
VOLUNTEERS = 50_000
CHINA = datetime.timedelta(hours=8)
COLUMNS = (*ledger.CONTENT_FIELDS, "prev_hash", "hash")


def run() -> None:
    wanted = int(os.environ.get("BENCH_LEDGER_ROWS", DEFAULT_ROWS))
    if connection.vendor == "sqlite" and (
        "BENCH_LEDGER_ROWS" not in os.environ or wanted > SQLITE_LIMIT
    ):
        print(
            "skipped on SQLite: 1,000,000 records are measured on PostgreSQL "
            "(DATABASE_URL=postgresql://…); set BENCH_LEDGER_ROWS=20000 (≤ 200,000) "
            "for a small run here"
        )
        return
    volunteers = list(Volunteer.objects.order_by("pk").values_list("pk", flat=True)[:VOLUNTEERS])
    projects = list(
        Project.objects.order_by("pk").values_list("pk", "organisation_id", "title")[:500]
    )
    if not volunteers or not projects:
        print("skipped: no volunteers or projects (the demo data is missing)")
        return

    started = time.perf_counter()
    # Read the chain heads before the COPY starts: the connection is busy during it.
    rows = fake_rows(wanted, volunteers, projects, chain_heads())
    inserted = copy_rows(rows) if connection.vendor == "postgresql" else bulk_rows(rows)
    took = time.perf_counter() - started
    total = ServiceRecord.objects.count()
    print(
        f"filled: {inserted:,} records for {min(len(volunteers), inserted):,} volunteers "
        f"in {took:.1f} s ({inserted / took:,.0f}/s, hashes computed in Python)"
    )

    baseline = time_plain_select()
    ours = time_verify()
    print(f"{'baseline: plain streaming SELECT, no hashing':<48} {total / baseline:12,.0f} rows/s")
    print(f"{'verify_ledger (stream + sha256 per record)':<48} {total / ours:12,.0f} records/s")
    print(
        f"{'verify_ledger vs plain SELECT':<48} {ours / baseline:8.1f}x the time ({total:,} rows)"
    )


def chain_heads() -> dict[int, tuple[int, str]]:
    """Each volunteer's last (seq, hash) already in the ledger (the demo's records)."""
    heads = {}
    for volunteer_id, seq, digest in (
        ServiceRecord.objects.order_by("volunteer_id", "seq")
        .values_list("volunteer_id", "seq", "hash")
        .iterator(chunk_size=5000)
    ):
        heads[volunteer_id] = (seq, digest)
    return heads


def fake_rows(wanted: int, volunteers: list[int], projects: list[tuple], heads: dict):
    """Rows of COLUMNS with true chains: each volunteer's seq goes on from its last record."""
    rng = random.Random(1)
    start = timezone.now().astimezone(datetime.UTC) - datetime.timedelta(days=700)
    record_hash = ledger.record_hash
    n = len(volunteers)
    for i in range(wanted):
        volunteer_id = volunteers[i % n]
        seq, prev = heads.get(volunteer_id, (0, ledger.GENESIS))
        project_id, org_id, title = projects[i % len(projects)]
        moment = start + datetime.timedelta(seconds=i * 50)
        minutes = rng.randrange(30, 241)
        content = {
            "volunteer_id": volunteer_id,
            "seq": seq + 1,
            "project_id": project_id,
            "organisation_id": org_id,
            # An organisation's entry, not tied to one shift, signup or attendance.
            "shift_id": None,
            "signup_id": None,
            "attendance_id": None,
            "activity": title,
            "served_on": (moment + CHINA).date(),  # the Shanghai date (UTC+8, no summer time)
            "place": "社区活动室（南京东路100号）",
            "content": "社区服务：帮助社区老人学会使用智能手机",
            "started_at": moment - datetime.timedelta(minutes=minutes),
            "ended_at": moment,
            "minutes": minutes,
            "leader_name": "李领队",
            "source": "entry",
            "corrects_id": None,
            "reason": "",
            "recorded_by_id": None,
            "created_at": moment,
        }
        values = [content[field] for field in ledger.CONTENT_FIELDS]
        digest = record_hash(prev, values)
        heads[volunteer_id] = (seq + 1, digest)
        yield (*values, prev, digest)


def copy_rows(rows) -> int:
    """PostgreSQL COPY: the fastest way in; the append-only trigger watches UPDATE/DELETE only."""
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        sql = f"COPY {ledger.TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def bulk_rows(rows, batch: int = 5000) -> int:
    count, buffer = 0, []
    for row in rows:
        buffer.append(ServiceRecord(**dict(zip(COLUMNS, row, strict=True))))
        if len(buffer) == batch:
            count += _flush(buffer)
    return count + _flush(buffer)


def _flush(buffer: list) -> int:
    with transaction.atomic():
        ServiceRecord.objects.bulk_create(buffer)
    n = len(buffer)
    buffer.clear()
    return n


def time_plain_select() -> float:
    started = time.perf_counter()
    rows = (
        ServiceRecord.objects.order_by("volunteer_id", "seq")
        .values_list(*ledger.VERIFY_COLUMNS)
        .iterator(chunk_size=5000)
    )
    count = sum(1 for _ in rows)
    assert count > 0
    return time.perf_counter() - started


def time_verify() -> float:
    out = io.StringIO()
    started = time.perf_counter()
    call_command("verify_ledger", stdout=out)  # raises (exit 1) if any chain is broken
    took = time.perf_counter() - started
    assert "every chain holds" in out.getvalue(), out.getvalue()
    return took
