"""Throttle guessing on the public verification pages, per client address.

Numbers are sequential, so the 8-character code is what protects a certificate; each wrong
number-or-code counts against the address, and after MAX_FAILURES in the window the address
is refused until the window passes. Counted in the cache (Redis in production), so every app
process sees the same count.
"""

import hashlib

from django.core.cache import cache

MAX_FAILURES = 20
WINDOW_SECONDS = 15 * 60


def _key(ip: str | None) -> str:
    digest = hashlib.sha256((ip or "-").encode()).hexdigest()[:32]
    return f"certificates:verify-failures:{digest}"


def is_blocked(ip: str | None) -> bool:
    return cache.get(_key(ip), 0) >= MAX_FAILURES


def note_failure(ip: str | None) -> None:
    key = _key(ip)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
