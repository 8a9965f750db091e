"""Checking identity documents and deriving what they tell (birth date, gender).

The normal form (upper case, no spaces) is what is encrypted and hashed, so `…123x` and
`…123X` are the same person and cannot register twice.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from gongyi.core.crypto import lookup_hash
from gongyi.core.errors import ServiceError
from gongyi.core.masking import mask_id_number

RESIDENT_ID = "resident_id"
PASSPORT = "passport"
HK_MACAO = "hk_macao"
TAIWAN = "taiwan"

OTHER_FORMATS = {
    PASSPORT: (
        re.compile(r"[A-Z0-9]{5,17}"),
        _("A passport number has 5 to 17 letters and digits."),
    ),
    HK_MACAO: (
        re.compile(r"[HM]\d{8}(\d{2})?"),
        _("A Hong Kong or Macao permit number is H or M followed by 8 or 10 digits."),
    ),
    TAIWAN: (
        re.compile(r"\d{8}|[A-Z0-9]{10}"),
        _("A Taiwan permit number has 8 digits, or 10 letters and digits."),
    ),
}

RIC_MESSAGES = {
    stdnum_errors.InvalidLength: _("A resident ID number has 18 characters."),
    stdnum_errors.InvalidFormat: _(
        "A resident ID number is 17 digits followed by a digit or the letter X."
    ),
    stdnum_errors.InvalidChecksum: _(
        "The check digit (the last character) does not match: please check the number."
    ),
    stdnum_errors.InvalidComponent: _(
        "This resident ID number has an impossible birth date or place code."
    ),
}


class IdentityError(ServiceError):
    def __init__(self, code: str, message):
        super().__init__(code, message, field="id_number")


@dataclass(frozen=True)
class Identity:
    """A checked ID document in normal form, with what the number itself tells."""

    id_type: str
    number: str
    birth_date: datetime.date | None = None
    gender: str = ""

    @property
    def lookup_key(self) -> str:
        return lookup_hash(f"{self.id_type}:{self.number}")

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def normalise(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper()


def check_id_number(id_type: str, raw: str) -> Identity:
    """The document in normal form, or IdentityError with a message the person can act on."""
    number = normalise(raw)
    if not number:
        raise IdentityError("id_missing", _("Please enter your ID number."))
    if id_type == RESIDENT_ID:
        return _check_resident_id(number)
    if id_type not in OTHER_FORMATS:
        raise IdentityError("id_type_invalid", _("Please choose a valid ID type."))
    pattern, message = OTHER_FORMATS[id_type]
    if not pattern.fullmatch(number):
        raise IdentityError("id_format", message)
    return Identity(id_type=id_type, number=number)


def _check_resident_id(number: str) -> Identity:
    try:
        number = ric.validate(number)
    except stdnum_errors.ValidationError as exc:
        message = next(
            (text for kind, text in RIC_MESSAGES.items() if isinstance(exc, kind)),
            RIC_MESSAGES[stdnum_errors.InvalidFormat],
        )
        raise IdentityError("id_invalid", message) from exc
    birth_date = ric.get_birth_date(number)
    if birth_date > timezone.localdate():
        raise IdentityError("id_invalid", RIC_MESSAGES[stdnum_errors.InvalidComponent])
    # The 17th digit is the order code's last: odd for men, even for women.
    gender = "M" if int(number[16]) % 2 else "F"
    return Identity(id_type=RESIDENT_ID, number=number, birth_date=birth_date, gender=gender)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday
