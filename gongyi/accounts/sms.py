"""Sending SMS codes, behind one small interface.

`settings.SMS_BACKEND` names the sender: ConsoleSender prints (development), MemorySender
keeps messages in `outbox` (tests). A real gateway implements the same `send`.
"""

import sys
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list[tuple[str, str]] = []


class SmsSender:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSender(SmsSender):
    def send(self, phone: str, text: str) -> None:
        print(f"[SMS to {phone}] {text}", file=sys.stderr, flush=True)


class MemorySender(SmsSender):
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


@cache
def _sender(path: str) -> SmsSender:
    return import_string(path)()


def sender() -> SmsSender:
    return _sender(settings.SMS_BACKEND)


def send_sms(phone: str, text: str) -> None:
    """Queue the message for the background worker.

    The queue is a table in our own database, so enqueuing inside the caller's transaction
    is the transactional outbox: the message leaves if and only if the transaction commits.
    """
    from gongyi.accounts.tasks import deliver_sms

    deliver_sms.enqueue(phone, text)
