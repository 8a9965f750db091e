"""The per-process buffer of page views: {epoch minute: [visits, {visitor hashes}]}.

A request only adds to it under a lock (granian runs threads); the buffer writes itself to
the database (`services.record_visits`) when the minute changes or every FLUSH_EVERY seconds,
in the request that finds it due, and once more when the process exits. The writes are
additive and idempotent per visitor, so any number of processes add up right.

A failed write never reaches the request: it is logged and the minutes are kept for the next
flush, at most MAX_PENDING_MINUTES of them (the oldest go first), so a database outage
costs memory for a bounded while and then loses the oldest figures, never the service.
"""

import atexit
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

logger = logging.getLogger(__name__)

FLUSH_EVERY = 5.0  # seconds
MAX_PENDING_MINUTES = 30

Writer = Callable[[dict[datetime, tuple[int, set[str]]]], None]


def write_to_database(minutes: dict[datetime, tuple[int, set[str]]]) -> None:
    from gongyi.traffic import services

    services.record_visits(minutes=minutes)


class VisitBuffer:
    def __init__(self, *, clock: Callable[[], float] = time.time, writer: Writer | None = None):
        self.clock = clock
        self._write = writer or write_to_database
        self._lock = threading.Lock()
        self._minutes: dict[int, list] = {}
        self._open_minute: int | None = None
        self._last_flush = clock()

    def add(self, epoch_minute: int, visitor: str, now: float) -> None:
        """Count one page view of `visitor` in `epoch_minute`; write out when due."""
        with self._lock:
            entry = self._minutes.get(epoch_minute)
            if entry is None:
                entry = self._minutes[epoch_minute] = [0, set()]
            entry[0] += 1
            entry[1].add(visitor)
            due = epoch_minute != self._open_minute or now - self._last_flush >= FLUSH_EVERY
            self._open_minute = epoch_minute
        if due:
            self.flush()

    def pending(self) -> dict[int, tuple[int, int]]:
        """{epoch minute: (visits, distinct visitors)} not yet written (for tests and checks)."""
        with self._lock:
            return {m: (entry[0], len(entry[1])) for m, entry in self._minutes.items()}

    def flush(self) -> int:
        """Write what is buffered; return the page views written. Never raises."""
        with self._lock:
            taken, self._minutes = self._minutes, {}
            self._last_flush = self.clock()
        if not taken:
            return 0
        rows = {
            datetime.fromtimestamp(m * 60, tz=UTC): (entry[0], entry[1])
            for m, entry in taken.items()
        }
        try:
            self._write(rows)
        except Exception:
            logger.exception("traffic: could not write %d minute(s) of page views", len(taken))
            self._put_back(taken)
            return 0
        return sum(entry[0] for entry in taken.values())

    def _put_back(self, taken: dict[int, list]) -> None:
        with self._lock:
            for minute, (visits, visitors) in taken.items():
                entry = self._minutes.get(minute)
                if entry is None:
                    self._minutes[minute] = [visits, visitors]
                else:
                    entry[0] += visits
                    entry[1] |= visitors
            for minute in sorted(self._minutes)[:-MAX_PENDING_MINUTES]:
                dropped = self._minutes.pop(minute)
                logger.error("traffic: dropped %d page views of minute %d", dropped[0], minute)


BUFFER = VisitBuffer()


def flush() -> int:
    """Write this process's buffered page views now (also run at exit)."""
    return BUFFER.flush()


@atexit.register
def _flush_at_exit() -> None:
    # Best effort: the process is going away; a failure is logged by flush and forgotten.
    with contextlib.suppress(Exception):
        BUFFER.flush()
