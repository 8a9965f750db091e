"""Instructions per request, counted by valgrind: a signup beside a bare Django view.

Seconds on these shared 2-core machines move by up to 25 % between identical runs, and
the signup burst's ratio with them; valgrind's instruction count repeats to about 0.01 %.
So a change to the signup path's CPU is sized here first: both requests go through the
WSGI handler in one process (no server, no network), DEBUG off, each counted over the same
number of requests after a warm-up. The baseline is `/healthz` through the same middleware.
PostgreSQL only (the one-call signup); skipped where valgrind is missing
(`apt-get install valgrind`). Takes about two minutes.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from django.db import connection

from bench.server import production_env

REQUESTS = int(os.environ.get("BENCH_COUNTED_REQUESTS", "200"))
ROOT = pathlib.Path(__file__).resolve().parent.parent


def run() -> None:
    if connection.vendor != "postgresql":
        print("skipped: the one-call signup is counted on PostgreSQL (set DATABASE_URL)")
        return
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("skipped: valgrind is not installed (apt-get install valgrind)")
        return
    counts = {what: counted(what) for what in ("healthz", "signup")}
    labels = {"signup": "signup (POST, bearer token)", "healthz": "baseline: /healthz"}
    for what in ("signup", "healthz"):
        print(f"{labels[what]:<40} {counts[what]:>12,} instructions/request")
    if counts["healthz"]:
        print(f"{'signup / bare view':<40} {counts['signup'] / counts['healthz']:>12.1f}x")


def counted(what: str) -> int:
    """Instructions per request of `what`, from callgrind's totals over REQUESTS requests."""
    with tempfile.TemporaryDirectory() as folder:
        out = pathlib.Path(folder) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable, "-m", "bench.counted_requests", what, str(REQUESTS),
        ]  # fmt: skip
        done = subprocess.run(
            command, cwd=ROOT, env=production_env(), capture_output=True, text=True
        )
        if done.returncode != 0:
            print(f"{what}: the counted run failed\n{done.stderr[-2000:]}")
            return 0
        totals = [
            int(line.split()[1])
            for file in pathlib.Path(folder).glob("callgrind.out*")
            for line in file.read_text().splitlines()
            if line.startswith(("summary:", "totals:"))
        ]
    return sum(totals) // REQUESTS
