"""Login throttling: after too many wrong passwords for one number from one address, wait.

Counted in the cache (Redis in production), so every app process sees the same counts.
Keyed by number *and* address, so an attacker cannot lock a person out from elsewhere.
"""

import hashlib

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(phone: str, ip: str | None) -> str:
    # Hashed: the number is whatever the caller typed, and cache keys must stay plain ASCII.
    digest = hashlib.sha256(f"{phone}|{ip or '-'}".encode()).hexdigest()
    return f"accounts:login-failures:{digest}"


def is_locked(phone: str, ip: str | None) -> bool:
    return cache.get(_key(phone, ip), 0) >= MAX_FAILURES


def note_failure(phone: str, ip: str | None) -> None:
    key = _key(phone, ip)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)


def clear(phone: str, ip: str | None) -> None:
    cache.delete(_key(phone, ip))
