"""Certificate and passport numbers (race-safe sequences) and verification codes."""

import re
import secrets

from django.db import transaction
from django.db.models import F
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from gongyi.certificates.models import NumberCounter
from gongyi.core.errors import ServiceError

# No 0/O, 1/I/L: a code read aloud or typed from paper cannot be mistaken.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_NOT_CODE = re.compile(r"[\s\-_]")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise(raw: str) -> str:
    """A number or code as a person typed it: spaces and dashes dropped, upper case."""
    return _NOT_CODE.sub("", raw or "").upper()[:32]


def same_code(stored: str, given: str) -> bool:
    """Constant-time comparison: the code is a secret."""
    return bool(stored) and constant_time_compare(stored, given)


def next_in_sequence(prefix: str, *, digits: int) -> str:
    """The next number under the prefix: `ZM2026` → `ZM202600000001`.

    The counter row is created once (get_or_create survives a concurrent create) and then
    advanced by one UPDATE; the row lock it takes is held until the caller's transaction
    ends, so concurrent issuers queue on it and each reads back its own value.
    """
    with transaction.atomic():
        NumberCounter.objects.get_or_create(prefix=prefix)
        NumberCounter.objects.filter(prefix=prefix).update(last=F("last") + 1)
        last = NumberCounter.objects.filter(prefix=prefix).values_list("last", flat=True).get()
    if last >= 10**digits:
        raise ServiceError("numbers_exhausted", _("No more numbers can be given this year."))
    return f"{prefix}{last:0{digits}d}"


def certificate_number(year: int) -> str:
    return next_in_sequence(f"ZM{year}", digits=8)


def passport_number(district_code: str) -> str:
    return next_in_sequence(f"HZ{district_code[:6]}", digits=6)
