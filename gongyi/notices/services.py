"""Sending notices to a user's inbox, and marking them read."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongyi import permissions
from gongyi.notices.models import Notice


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notice:
    """Put a notice in the user's inbox. Call inside the transaction of what it reports."""
    return Notice.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url[:300])


def mark_read(*, user, notice: Notice) -> Notice:
    if not permissions.can_read_notice(user, notice):
        raise PermissionDenied
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    notice.refresh_from_db()
    return notice


def mark_all_read(*, user) -> int:
    with transaction.atomic():
        return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
