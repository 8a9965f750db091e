"""Real concurrency for the invariant tests: calls in threads with their own connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_at_once(calls, workers: int = 50) -> list:
    """Run the calls in real threads, released together; each closes its own connection."""
    start = threading.Event()

    def run(call):
        start.wait()
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(run, call) for call in calls]
        start.set()
        return [f.result() for f in futures]
