"""A fresh page-view buffer per test, on a clock the test moves, with counting switched on."""

from datetime import datetime, time

import pytest

from gongyi.traffic import buffer
from gongyi.traffic.selectors import SHANGHAI, local_today

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
OTHER_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


class Clock:
    """Seconds since the epoch, moved by the test."""

    def __init__(self, at: datetime):
        self.at = at.timestamp()

    def __call__(self) -> float:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += seconds


def at(day, hour: int, minute: int, second: int = 0) -> datetime:
    """An aware Shanghai time of a day."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    return Clock(at(local_today(), 0, 10, 5))


@pytest.fixture
def recording(settings, monkeypatch, clock, db):
    """Count page views into a fresh buffer (written at once on its first page view, then
    when the minute changes or FLUSH_EVERY seconds passed)."""
    settings.TRAFFIC_RECORDING = True
    fresh = buffer.VisitBuffer(clock=clock)
    monkeypatch.setattr(buffer, "BUFFER", fresh)
    return fresh
