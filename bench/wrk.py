"""Drive a running server with wrk (Debian's package) and read its figures."""

import re
import shutil
import signal
import subprocess
import time

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run(url: str, *, seconds: int = 10, **options) -> dict:
    """Requests per second, p50 and p99 latency (ms), and non-2xx/3xx responses, over
    `seconds`; `options` as for `run_until`."""
    return run_until(url, finished=lambda: False, limit=seconds, **options)


def run_until(
    url: str,
    *,
    finished,
    connections: int = 64,
    threads: int = 2,
    script=None,
    timeout: int = 2,
    limit: int = 1800,
) -> dict:
    """Like `run`, but until `finished()` is true (asked every half second) or `limit` seconds.

    wrk always runs for its whole -d duration, even after every Lua thread has stopped, and
    divides by it: a fixed quota of requests needs stopping from outside. Ctrl-C (SIGINT)
    makes wrk print its figures over the time it really ran. A request unanswered after
    `timeout` seconds counts as an error (wrk's default is 2).
    """
    command = [
        *("wrk", f"-t{threads}", f"-c{connections}", f"-d{limit}s"),
        *(f"--timeout={timeout}s", "--latency", url),
    ]
    if script:
        command[1:1] = ["-s", str(script)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    while process.poll() is None and not finished():
        time.sleep(0.5)
    process.send_signal(signal.SIGINT)  # nothing happens when wrk has ended by itself
    out, _ = process.communicate(timeout=60)
    return figures(out)


def figures(out: str) -> dict:
    """wrk's figures; `statuses` counts answers by HTTP status where the Lua script prints them."""
    printed = re.search(r"^statuses((?: \d+=\d+)*)$", out, re.M)
    statuses = dict(map(int, pair.split("=")) for pair in printed[1].split()) if printed else {}
    return {
        "statuses": statuses,
        "per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50_ms": _latency(out, "50%"),
        "p99_ms": _latency(out, "99%"),
        "errors": _errors(out),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
    }


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * UNITS[unit]


def _errors(out: str) -> int:
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return (int(bad[1]) if bad else 0) + (sum(map(int, sockets.groups())) if sockets else 0)


def report(label: str, figures: dict) -> None:
    print(
        f"{label:<52} {figures['per_s']:9.0f} req/s   p50 {figures['p50_ms']:7.2f} ms"
        f"   p99 {figures['p99_ms']:7.2f} ms   errors {figures['errors']}"
    )
