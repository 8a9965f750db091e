"""Sending notices to a user's inbox, and marking them read."""

from django.db import transaction
from django.utils import timezone

from gongyi import permissions
from gongyi.core.errors import require_allowed
from gongyi.notices.models import Notice

# Longer titles and links are cut to fit, here and by writers that insert notices themselves.
TITLE_LENGTH = Notice._meta.get_field("title").max_length
URL_LENGTH = Notice._meta.get_field("url").max_length


def _notice(user_id: int, kind: str, title: str, body: str, url: str) -> Notice:
    return Notice(
        user_id=user_id, kind=kind, title=title[:TITLE_LENGTH], body=body, url=url[:URL_LENGTH]
    )


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notice:
    """Put a notice in the user's inbox. Call inside the transaction of what it reports."""
    notice = _notice(user.pk, kind, title, body, url)
    notice.save(force_insert=True)
    return notice


def notify_many(*, titles: dict[int, str], kind: str, body: str = "", url: str = "") -> None:
    """`notify` for many users at once ({user id: title}), in bulk inserts."""
    Notice.objects.bulk_create(
        (_notice(user_id, kind, title, body, url) for user_id, title in titles.items()),
        batch_size=1000,
    )


def mark_read(*, user, notice: Notice) -> Notice:
    require_allowed(permissions.can_read_notice(user, notice))
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    notice.refresh_from_db()
    return notice


def mark_all_read(*, user) -> int:
    with transaction.atomic():
        return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
