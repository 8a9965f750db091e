"""One-time SMS codes for sign-up and password reset.

Codes live only in the cache, hashed (a leaked cache does not give working codes), for
`settings.SMS_CODE_TTL_SECONDS`. Sending is rate-limited per phone and per IP address, and a
code dies after a few wrong guesses, so six digits cannot be brute-forced.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongyi.accounts.sms import send_sms
from gongyi.core.errors import ServiceError

PURPOSES = ("signup", "reset")
PHONE_INTERVAL_SECONDS = 60
IP_LIMIT = 20
IP_WINDOW_SECONDS = 3600
MAX_GUESSES = 5


class TooManyRequests(ServiceError):
    status = 429


def _code_key(phone: str, purpose: str) -> str:
    return f"accounts:sms-code:{purpose}:{phone}"


def _digest(phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "gongyi.accounts.sms-code", f"{purpose}:{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def _take_rate_slot(*, phone: str, ip: str | None) -> None:
    # cache.add is atomic: only the first request in the interval gets the slot.
    if not cache.add(f"accounts:sms-phone:{phone}", 1, PHONE_INTERVAL_SECONDS):
        raise TooManyRequests(
            "too_soon", _("A code was just sent to this number. Please wait a minute.")
        )
    if ip:
        key = f"accounts:sms-ip:{ip}"
        cache.add(key, 0, IP_WINDOW_SECONDS)
        try:
            sent = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, IP_WINDOW_SECONDS)
            sent = 1
        if sent > IP_LIMIT:
            raise TooManyRequests(
                "too_many", _("Too many codes requested. Please try again later.")
            )


def issue_code(*, phone: str, purpose: str, ip: str | None = None, deliver: bool = True) -> None:
    """Send a fresh code to the phone (unless `deliver` is False, to hide whether it exists)."""
    if purpose not in PURPOSES:
        raise ServiceError("invalid", _("Unknown purpose."), field="purpose")
    _take_rate_slot(phone=phone, ip=ip)
    if not deliver:
        return
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = settings.SMS_CODE_TTL_SECONDS
    stored = {"digest": _digest(phone, purpose, code), "wrong": 0, "expires": time.time() + ttl}
    cache.set(_code_key(phone, purpose), stored, ttl)
    minutes = max(1, ttl // 60)
    send_sms(
        phone,
        gettext("[Gongyi] Your verification code is %(code)s. It is valid for %(minutes)s minutes.")
        % {"code": code, "minutes": minutes},
    )


def check_code(*, phone: str, purpose: str, code: str) -> None:
    """Accept the code once, or raise. A used or expired code is refused the same way."""
    key = _code_key(phone, purpose)
    stored = cache.get(key)
    wrong = ServiceError(
        "code_invalid", _("The verification code is wrong or has expired."), field="code"
    )
    if not stored or not code or stored["expires"] <= time.time():
        raise wrong
    if not constant_time_compare(stored["digest"], _digest(phone, purpose, code.strip())):
        stored["wrong"] += 1
        if stored["wrong"] >= MAX_GUESSES:
            cache.delete(key)
        else:  # keep the original expiry: wrong guesses must not extend a code's life
            cache.set(key, stored, max(1, int(stored["expires"] - time.time())))
        raise wrong
    cache.delete(key)
