"""Helpers for the accounts tests: synthetic but valid ID numbers, SMS codes, a fixed day."""

import datetime
import re

from stdnum.cn import ric

from gongyi.accounts import services

TODAY = datetime.date(2026, 6, 1)


def resident_id(born: datetime.date, order: int = 1, place: str = "310101") -> str:
    """A valid resident ID: odd `order` for a man, even for a woman."""
    body = f"{place}{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def resident_id_ending_in_x(born: datetime.date) -> str:
    for order in range(1, 1000):
        number = resident_id(born, order)
        if number.endswith("X"):
            return number
    raise AssertionError("no order code gives X")


def last_code(outbox, phone: str) -> str:
    _phone, text = [m for m in outbox if m[0] == phone][-1]
    return re.search(r"\d{6}", text)[0]


def register(user, *, id_number: str | None = None, today=TODAY, **extra):
    """Register `user` as an adult volunteer with a resident ID, through the service."""
    fields = dict(
        real_name="袁小明",
        id_type="resident_id",
        id_number=id_number or resident_id(datetime.date(1990, 1, 1)),
        privacy_consent=True,
    )
    fields.update(extra)
    return services.register_volunteer(user=user, today=today, **fields)
