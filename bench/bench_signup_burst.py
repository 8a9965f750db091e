"""Signup burst: 40,000 distinct volunteers race for places, over HTTP, on PostgreSQL.

Two scenarios: one hot shift with 100 places, and the same load spread over 1,000 shifts
with 10 places each. Each runs through granian (WSGI, 2 workers) with wrk at 64 connections,
every request a different volunteer with their own bearer token. The baseline sends the
statements the HTTP path sends (find the token with its user and volunteer and mark it used,
read the shift, then the one call of `signups_attempt` that locks, checks, takes the place and
writes the signup, its audit entry and its notice) straight to PostgreSQL with pgbench over
as many connections: no HTTP, no Django. It runs just before and just after the HTTP burst,
and the ratio is taken against the mean of the two. Measure the HTTP path's statements with
`django.test.utils.CaptureQueriesContext` when it changes, and keep this script the same.
"""

import datetime
import functools
import os
import pathlib
import re
import subprocess
import tempfile
import time

from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from bench import wrk
from bench.server import granian
from gongyi.accounts.api_auth import token_hash
from gongyi.accounts.models import ApiToken, Volunteer
from gongyi.orgs.models import Organisation
from gongyi.projects.models import Category, Project, ServicePoint, Shift
from gongyi.signups.models import Signup

ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", "40000"))
CONNECTIONS = 64
WRK_THREADS = 2  # the Lua script splits the tokens between wrk's threads: it must know how many
# The server: processes, and threads (= pooled database connections) in each.
WORKERS = int(os.environ.get("BENCH_SERVER_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_SERVER_THREADS", "8"))
HERE = pathlib.Path(__file__).resolve().parent


def run() -> None:
    if connection.vendor != "postgresql":
        print("skipped: the signup burst is measured on PostgreSQL (set DATABASE_URL)")
        return
    if not wrk.have_wrk():
        print("skipped: wrk is not installed (apt-get install wrk)")
        return
    volunteers = list(Volunteer.objects.order_by("pk").values_list("pk", "user_id")[:ATTEMPTS])
    if len(volunteers) < ATTEMPTS:
        print(f"skipped: needs {ATTEMPTS} volunteers, the database has {len(volunteers)}")
        return
    history()
    tokens = make_tokens(volunteers)
    hashes = [token_hash(t) for t in tokens]
    hot = make_project("抢报名压力测试：热门班次", shifts=1, capacity=100, day_offset=3)
    spread = make_project("抢报名压力测试：分散班次", shifts=1000, capacity=10, day_offset=5)
    settle()
    for label, shifts in (
        ("one hot shift, 100 places", hot),
        ("1,000 shifts, 10 places each", spread),
    ):
        jobs = [(token, shifts[i % len(shifts)]) for i, token in enumerate(tokens)]
        places = sum(Shift.objects.filter(pk__in=shifts).values_list("capacity", flat=True))
        # The baseline before and after the HTTP burst, their mean beside it: the machine's
        # speed drifts within minutes (one baseline moved by up to 25 % between runs), and a
        # bracket cancels a steady drift.
        straight = functools.partial(burst_straight_to_database, volunteers, shifts, hashes)
        before = measured(f"SQL   {label} (before)", shifts, places, straight)
        ours = measured(f"HTTP  {label}", shifts, places, functools.partial(burst_over_http, jobs))
        after = measured(f"SQL   {label} (after)", shifts, places, straight)
        base = (before["per_s"] + after["per_s"]) / 2
        if before["per_s"] and after["per_s"]:
            print(f"{'ratio HTTP / mean of the two baselines':<52} {ours['per_s'] / base:8.0%}")


def measured(label: str, shifts, places: int, burst) -> dict:
    """Run one burst, report it with its confirmed count against the places, and undo it."""
    figures = burst()
    confirmed = Signup.objects.filter(shift__in=shifts, status="confirmed").count()
    report(label, figures, confirmed, places)
    reset(shifts)
    return figures


HISTORY_PER_VOLUNTEER = 5


def history() -> None:
    """Give every volunteer past signups, as a city's table has, before the bursts start.

    The demo fills places without signup rows, so the bench's table would start empty. On a
    table that small PL/pgSQL caches a sequential scan for the function's reads at its sixth
    call in a connection (plan_cache_mode auto) and keeps it while the burst grows the table:
    the server's few pooled connections cached it at ~100 rows and paid ~1 ms a signup more
    than pgbench's 64 fresh ones, which cached an index scan later. A city's table has
    millions of rows, so every connection uses the indexes.
    """
    if not Signup.objects.filter(reason="bench-history").exists():
        _add_history()
    print(f"signups table before the bursts: {Signup.objects.count():,} rows (past signups)")


def _add_history() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH past AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
                            FROM projects_shift WHERE ends_at < now()),
                 total AS (SELECT count(*) AS n FROM past),
                 vols AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
                            FROM accounts_volunteer)
            INSERT INTO signups_signup (volunteer_id, shift_id, status, reason, created_at)
            SELECT v.id, p.id, 'confirmed', 'bench-history', now() - interval '60 days'
              FROM vols v, total, generate_series(0, LEAST(%s, total.n) - 1) k, past p
             WHERE p.n = (v.n * %s + k) %% total.n
            """,
            [HISTORY_PER_VOLUNTEER, HISTORY_PER_VOLUNTEER],
        )


def make_tokens(volunteers) -> list[str]:
    ApiToken.objects.filter(name="bench").delete()
    keys = [f"bench-{user_id}-{os.urandom(8).hex()}" for _, user_id in volunteers]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user_id=user_id, name="bench", key_hash=token_hash(k))
            for (_, user_id), k in zip(volunteers, keys, strict=True)
        ],
        batch_size=5000,
    )
    return keys


def make_project(title: str, *, shifts: int, capacity: int, day_offset: int) -> list[int]:
    org = Organisation.objects.filter(status="verified").order_by("pk").first()
    now = timezone.now()
    with transaction.atomic():
        project = Project.objects.create(
            number=f"PBENCH{day_offset}{now:%H%M%S%f}",
            organisation=org,
            title=title,
            category=Category.objects.filter(parent=None).order_by("pk").first(),
            district=org.district,
            recruit_start=now - datetime.timedelta(days=1),
            recruit_end=now + datetime.timedelta(days=30),
            service_start=(now + datetime.timedelta(days=day_offset)).date(),
            service_end=(now + datetime.timedelta(days=day_offset + 40)).date(),
            real_name_only=True,
            contact_name="压测",
            contact_phone="13900000000",
            status=Project.Status.PUBLISHED,
            published_at=now,
        )
        point = ServicePoint.objects.create(project=project, name="压测服务点")
        start = now.replace(hour=1, minute=0, second=0, microsecond=0)
        rows = [
            Shift(
                project=project,
                point=point,
                # One shift a day and hour, never overlapping the other scenario's days.
                starts_at=start + datetime.timedelta(days=day_offset + i // 20, hours=i % 20),
                ends_at=start + datetime.timedelta(days=day_offset + i // 20, hours=i % 20 + 1),
                capacity=capacity,
            )
            for i in range(shifts)
        ]
        return [s.pk for s in Shift.objects.bulk_create(rows)]


def burst_over_http(jobs) -> dict:
    """Figures of the HTTP burst: the rate from the signups' own timestamps, latency from wrk.

    wrk's rate is not used: it runs until stopped from outside (see `wrk.run_until`), a little
    after the last answer. Errors are attempts without a 2xx answer.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.writelines(f"{token} {shift}\n" for token, shift in jobs)
    os.environ.update({"BENCH_TOKENS": f.name, "BENCH_THREADS": str(WRK_THREADS)})
    shifts = {shift for _, shift in jobs}
    with granian(workers=WORKERS, threads=THREADS) as url:
        # A phone in a queue for a hot place waits up to 30 s; an answer later than that
        # counts as an error.
        figures = wrk.run_until(
            url,
            finished=all_answered(shifts, len(jobs)),
            connections=CONNECTIONS,
            threads=WRK_THREADS,
            script=HERE / "signup_burst.lua",
            timeout=30,
        )
    os.unlink(f.name)
    made = Signup.objects.filter(shift__in=shifts).aggregate(
        rows=Count("pk"), first=Min("created_at"), last=Max("created_at")
    )
    span = (made["last"] - made["first"]).total_seconds() if made["rows"] > 1 else 0
    answered = sum(count for status, count in figures["statuses"].items() if 200 <= status < 300)
    figures.update(
        per_s=made["rows"] / span if span else 0.0,
        errors=len(jobs) - answered,
        requests=len(jobs),
    )
    return figures


def all_answered(shifts, attempts: int, *, patience: float = 5):
    """True once every attempt has its signup row, or nothing has moved for `patience` s."""
    progress = {"count": -1, "since": time.monotonic()}

    def finished() -> bool:
        count = Signup.objects.filter(shift__in=shifts).count()
        if count != progress["count"]:
            progress.update(count=count, since=time.monotonic())
        return count >= attempts or (count and time.monotonic() - progress["since"] > patience)

    return finished


PGBENCH_SCRIPT = """
SELECT key_hash, volunteer_id, user_id, shift_id FROM bench_queue
  WHERE n = (SELECT nextval('bench_seq')) \\gset
WITH marked AS (UPDATE accounts_apitoken SET last_used_at = now() WHERE key_hash = ':key_hash'
    AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
    AND user_id IN (SELECT id FROM accounts_user WHERE is_active))
  SELECT t.*, u.*, v.* FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id
  LEFT JOIN accounts_volunteer v ON v.user_id = u.id WHERE t.key_hash = ':key_hash' AND u.is_active;
SELECT s.*, p.* FROM projects_shift s
  JOIN projects_project p ON p.id = s.project_id WHERE s.id = :shift_id \\gset
SELECT r.outcome, (r.signup).* FROM signups_attempt(:volunteer_id, :user_id, :shift_id,
  :project_id, ':starts_at', ':ends_at', NULL, now(), false,
  '{{signup.confirmed,"报名成功：抢报名压力测试 · 2026-12-07 09:00",""},
    {signup.waitlisted,"已进入候补：抢报名压力测试 · 2026-12-07 09:00",
     "班次已满。有空位时您将自动递补并收到通知。"},
    {signup.pending,"等待组织方审核：抢报名压力测试 · 2026-12-07 09:00",""}}'::text[],
  '/signups/mine/') r;
"""


def burst_straight_to_database(volunteers, shifts, hashes) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_queue; DROP SEQUENCE IF EXISTS bench_seq")
        cursor.execute("CREATE SEQUENCE bench_seq")
        cursor.execute(
            "CREATE TABLE bench_queue (n bigint PRIMARY KEY, key_hash text, volunteer_id bigint,"
            " user_id bigint, shift_id bigint)"
        )
        rows = [
            (i + 1, key_hash, v, u, shifts[i % len(shifts)])
            for i, ((v, u), key_hash) in enumerate(zip(volunteers, hashes, strict=True))
        ]
        cursor.executemany("INSERT INTO bench_queue VALUES (%s, %s, %s, %s, %s)", rows)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(PGBENCH_SCRIPT)
    settings = connection.settings_dict
    per_client = len(volunteers) // CONNECTIONS
    command = [
        "pgbench", "-n", "-c", str(CONNECTIONS), "-j", "2", "-t", str(per_client),
        "-f", f.name, "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
        "-U", settings["USER"], "--log", "--log-prefix", f.name,
        settings["NAME"],
    ]  # fmt: skip
    out = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""},
        cwd=tempfile.gettempdir(),
    )
    os.unlink(f.name)
    return pgbench_figures(out.stdout + out.stderr, f.name)


def pgbench_figures(out: str, prefix: str) -> dict:
    latencies = []
    for log in pathlib.Path(tempfile.gettempdir()).glob(pathlib.Path(prefix).name + ".*"):
        latencies += [int(line.split()[2]) / 1000 for line in log.read_text().splitlines()]
        log.unlink()
    latencies.sort()
    failed = re.search(r"number of failed transactions: (\d+)", out)
    tps = re.search(r"tps = ([\d.]+)", out)
    return {
        "per_s": float(tps[1]) if tps else 0.0,
        "p50_ms": latencies[len(latencies) // 2] if latencies else 0.0,
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else 0.0,
        "errors": int(failed[1]) if failed else (0 if tps else -1),
        "requests": len(latencies),
    }


def reset(shifts) -> None:
    """Undo a run, so the next starts alike: no signups, free places, tokens never used."""
    Signup.objects.filter(shift__in=shifts).delete()
    Shift.objects.filter(pk__in=shifts).update(taken=0)
    ApiToken.objects.filter(name="bench").update(last_used_at=None)
    settle()


def settle() -> None:
    """Vacuum what a run writes, so no run pays for the dead rows of the one before; then
    checkpoint, so every run starts alike. Left alone, a checkpoint (every 5 minutes, or
    when the WAL grows) fell at a random point of a random run, and the first write of each
    page after it goes to the WAL whole: the same baseline ran at 1,392 to 1,708 a second."""
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) accounts_apitoken, projects_shift, signups_signup,"
            " core_auditentry, notices_notice"
        )
        cursor.execute("CHECKPOINT")


def report(label: str, figures: dict, confirmed: int, places: int) -> None:
    ok = "ok" if confirmed == places else "WRONG"
    print(
        f"{label:<52} {figures['per_s']:8.0f} attempts/s   p50 {figures['p50_ms']:7.2f} ms"
        f"   p99 {figures['p99_ms']:8.2f} ms   errors {figures['errors']}"
        f"   confirmed {confirmed}/{places} {ok}   ({figures['requests']} attempts)"
    )
