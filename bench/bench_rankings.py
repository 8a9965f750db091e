"""Rankings and the dashboard at 10,000,000 service records (issue 6).

Fills the ledger with one INSERT … SELECT over generate_series (PostgreSQL; synthetic rows
spread over the demo's volunteers and projects and three years, with placeholder hashes:
this benchmark reads hours, it does not verify chains), rebuilds the hour tallies once
(`stats.services.recompute`, timed), then measures, in the same run:

1. the top-100 organisations of the city, all time and this year: the ranking page with
   its cache cleared before every request, and the tally query alone — beside the naive
   GROUP BY over the effective records that the tallies replace;
2. the dashboard page as visitors get it (from its snapshot), and one cold computation of
   the snapshot.

BENCH_RANKING_ROWS sets the number of records (default 10,000,000). PostgreSQL only.
"""

import os
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.timing import measure, report
from gongyi.regions.models import Region
from gongyi.service.models import ServiceRecord
from gongyi.stats import selectors as tallies
from gongyi.stats import services as tally_services
from gongyi.stats.models import Tally

DEFAULT_ROWS = 10_000_000
SEQ_OFFSET = 10_000_000  # above any chain the demo made, so (volunteer, seq) stays unique


def run() -> None:
    wanted = int(os.environ.get("BENCH_RANKING_ROWS", DEFAULT_ROWS))
    if connection.vendor != "postgresql":
        print("skipped on SQLite: 10,000,000 records are measured on PostgreSQL")
        return
    city = _busiest_city()
    if city is None:
        print("skipped: no projects (the demo data is missing)")
        return
    have = ServiceRecord.objects.count()
    if have < wanted:
        started = time.perf_counter()
        added = fill(wanted - have)
        took = time.perf_counter() - started
        print(f"filled: {added:,} records in {took:.1f} s ({added / took:,.0f}/s)")
    total = ServiceRecord.objects.count()
    started = time.perf_counter()
    tally_services.recompute()
    tally_services.drain()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"tallies rebuilt from {total:,} records in {time.perf_counter() - started:.1f} s "
        f"({Tally.objects.count():,} tally rows)"
    )
    rankings(city, total)
    dashboard(city)


def _busiest_city() -> Region | None:
    from gongyi.projects.models import Project

    found = Project.objects.values("district__city").order_by("district__city").first()
    return Region.objects.filter(pk=found["district__city"]).first() if found else None


def fill(rows: int, *, chunk: int = 1_000_000) -> int:
    """Synthetic effective records: volunteer g mod V, project (g·7919) mod P (through
    arrays of their ids), a day in 2024-01-01 … +1,000 days, 30–240 minutes."""
    table = ServiceRecord._meta.db_table
    sql = f"""
        WITH va AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_volunteer),
             pa AS (SELECT array_agg(id ORDER BY id) AS ids,
                           array_agg(organisation_id ORDER BY id) AS orgs
                    FROM projects_project)
        INSERT INTO {table} (volunteer_id, seq, project_id, organisation_id, activity,
            served_on, place, content, minutes, leader_name, source, reason, created_at,
            prev_hash, hash)
        SELECT va.ids[1 + mod(g, cardinality(va.ids))], {SEQ_OFFSET} + g,
            pa.ids[1 + mod(g * 7919, cardinality(pa.ids))],
            pa.orgs[1 + mod(g * 7919, cardinality(pa.ids))],
            'bench', DATE '2024-01-01' + mod(g * 7, 1000)::int, '', '', 30 + mod(g, 8) * 30, '',
            'entry', '', %s, '', ''
        FROM generate_series(%s::bigint, %s::bigint) AS s(g), va, pa
    """
    done = 0
    start = ServiceRecord.objects.filter(seq__gt=SEQ_OFFSET).count() + 1
    with connection.cursor() as cursor:
        while done < rows:
            n = min(chunk, rows - done)
            cursor.execute(sql, [timezone.now(), start + done, start + done + n - 1])
            done += n
            print(f"  … {done:,} records", flush=True)
    return done


def rankings(city: Region, total: int) -> None:
    client = Client()
    year = timezone.localdate().year
    url = f"/rankings/?subject=organisations&region={city.code}"

    def page(period):
        cache.clear()  # every request reads the tallies, none is served from the cache
        response = client.get(f"{url}&period={period}")
        assert response.status_code == 200, response.status_code
        return response

    kind = Tally.Kind.ORGANISATION
    naive_q = {"project__district__city": city}
    figures = {
        "top-100 page, all time (cache cleared)": measure(lambda: page("all"), repeat=200),
        f"top-100 page, {year} (cache cleared)": measure(lambda: page(year), repeat=200),
        "top-100 tally query alone": measure(lambda: tallies.top(kind, city.pk), repeat=500),
    }
    from django.db.models import Q

    naive = measure(lambda: tallies.naive_top("organisation_id", Q(**naive_q)), repeat=5)
    naive_year = measure(
        lambda: tallies.naive_top("organisation_id", Q(**naive_q), served_on__year=year),
        repeat=5,
    )
    print(f"(ledger: {total:,} records)")
    report("baseline: naive GROUP BY, all time", naive)
    report(f"baseline: naive GROUP BY, {year}", naive_year)
    for label, found in figures.items():
        report(label, found)
    for label, found in figures.items():
        base = naive_year if str(year) in label else naive
        print(f"{label:<48} {base['p50_ms'] / found['p50_ms']:10,.0f}x faster than GROUP BY (p50)")
    assert tallies.top(kind, city.pk, limit=100)[:10] == tallies.naive_top(
        "organisation_id", Q(**naive_q), limit=10
    ), "tallies disagree"
    print("top 10 from the tallies equals the naive GROUP BY: yes")


def dashboard(city: Region) -> None:
    try:
        from gongyi.dashboard import selectors as dash
    except ImportError:
        print("dashboard: not installed")
        return
    client = Client()
    started = time.perf_counter()
    dash.compute(city)
    print(f"dashboard snapshot computed cold in {time.perf_counter() - started:.2f} s")
    home = measure(lambda: client.get("/healthz"), repeat=300)
    page = measure(lambda: client.get(f"/dashboard/?region={city.code}"), repeat=200)
    report("baseline: /healthz", home)
    report("dashboard page (from its snapshot)", page)
    print(
        f"{'dashboard page vs /healthz':<48} {page['p50_ms'] / home['p50_ms']:8.1f}x the time (p50)"
    )
