"""Run every benchmark under bench/ against a fresh database filled with demo data.

Each benchmark prints its figures and a ratio against a baseline measured in the same run.
SQLite (var/bench.sqlite3) by default; PostgreSQL when DATABASE_URL is set (its database is
rebuilt). `make bench` calls this; `BENCH_VOLUNTEERS` sets the volunteer count, and
`BENCH_REUSE=1` keeps the database as the last run left it.
`BENCH_LEDGER_ROWS` sets how many service records bench_ledger verifies (1,000,000).
"""

import importlib
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ.setdefault("FAST_PASSWORD_HASHER", "1")


def fresh_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        path = pathlib.Path(connection.settings_dict["NAME"])
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            pathlib.Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    # The signup burst needs 40,000 distinct volunteers; it runs on PostgreSQL only.
    default = "40000" if connection.vendor == "postgresql" else "2000"
    volunteers = int(os.environ.get("BENCH_VOLUNTEERS", default))
    # Browsing is measured at 50,000 projects (issue 3), with shifts filled without signup rows.
    projects = int(os.environ.get("BENCH_PROJECTS", "50000" if default == "40000" else "2000"))
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command(
            "demo", volunteers=volunteers, projects=projects, fill_places=True, stdout=quiet
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh tables: give the planner real row counts
    took = time.perf_counter() - started
    print(f"demo data: {volunteers} volunteers, {projects} projects in {took:.1f} s")


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    print(f"database: {connection.vendor}")
    if os.environ.get("BENCH_REUSE") == "1":  # iterate on one benchmark without rebuilding
        print("database: reused as it is (BENCH_REUSE=1)")
    else:
        fresh_database()
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    wanted = sys.argv[1:]  # `bench/run.py signup` runs only the benchmarks with that in their name
    names = [n for n in names if not wanted or any(w in n for w in wanted)]
    for name in names:
        print(f"\n== {name} ==")
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main()
