"""The project calendar's own rows: a volunteer's private feed token and saved searches.

Everything a calendar shows (shifts, signups) belongs to the projects and signups apps;
this app only keeps how people subscribe to it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SEARCH_KEY_BYTES = 18  # 24 URL-safe characters: unguessable, short enough for a URL


def new_search_key() -> str:
    return secrets.token_urlsafe(SEARCH_KEY_BYTES)


class FeedToken(models.Model):
    """The secret in a volunteer's private feed URL. Only its hash is stored (like an API
    token), so a copy of the database gives nobody anyone's calendar."""

    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("key prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_fetched_at = models.DateTimeField(_("last fetched at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Re-issuing revokes the old one first: one live feed URL per volunteer.
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_one_live_feed_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.prefix}…"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class SavedSearch(models.Model):
    """The project finder's filters saved under a name, with a feed of matching shifts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_searches",
    )
    name = models.CharField(_("search name"), max_length=60)
    # The finder's query string, normalised: only its valid filters, in a fixed order.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    # The feed's address: not personal (public shifts only), but not guessable either.
    feed_key = models.CharField(_("feed key"), max_length=32, unique=True, default=new_search_key)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="calendar_search_owner")]

    def __str__(self) -> str:
        return self.name
