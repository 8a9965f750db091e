"""Masks for personal data shown where a role does not need the full value."""


def mask_id_number(number: str) -> str:
    """`310101199001011234` -> `3101**********1234`; short numbers keep only the ends."""
    if not number:
        return ""
    if len(number) <= 6:
        return number[0] + "*" * (len(number) - 1)
    keep_head = 4 if len(number) >= 12 else 2
    keep_tail = 4 if len(number) >= 12 else 2
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]


def mask_name(name: str) -> str:
    """`袁小明` -> `袁**`; a Latin name keeps its first letter: `Alice Smith` -> `A**********`."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name + "*"


def mask_phone(phone: str) -> str:
    """`13812344567` -> `138****4567`."""
    if not phone:
        return ""
    if len(phone) < 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
