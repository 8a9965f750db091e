"""Sending notices to a user's inbox."""

from gongyi.notices.models import Notice


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notice:
    """Put a notice in the user's inbox. Call inside the transaction of what it reports."""
    return Notice.objects.create(user=user, kind=kind, title=title, body=body, url=url)
