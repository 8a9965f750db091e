"""Project snapshots (项目剪影): photos of a project in action, with captions.

The organiser's photos are approved at once; a volunteer's wait for the organiser. Only the
re-encoded image and its thumbnail are kept (no original, no EXIF), under names nobody can
guess, and they are served by views that check the status: the storage names never leave the
server. A snapshot is public when it is approved and its project is public.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongyi.core.masking import mask_name

KEY_LENGTH = 12
PUBLIC_PROJECT_STATUSES = ("published", "closed")  # as gongyi.projects.selectors.PUBLIC_STATUSES


def new_key() -> str:
    """12 URL-safe characters (72 random bits): the snapshot's public id in its addresses."""
    return secrets.token_urlsafe(9)


class Snapshot(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("snapshot status", "Awaiting approval")
        APPROVED = "approved", pgettext_lazy("snapshot status", "Approved")
        HIDDEN = "hidden", pgettext_lazy("snapshot status", "Hidden")

    key = models.CharField(_("key"), max_length=16, unique=True, default=new_key, editable=False)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    # Uploaded by the project's organiser: shown under the organisation's name, not a person's.
    by_organiser = models.BooleanField(_("by the organiser"), default=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Storage names (random): never shown, the files are served through views.
    image_name = models.CharField(_("image file"), max_length=200, editable=False)
    thumb_name = models.CharField(_("thumbnail file"), max_length=200, editable=False)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    thumb_width = models.PositiveIntegerField(_("thumbnail width"))
    thumb_height = models.PositiveIntegerField(_("thumbnail height"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="snapshot_wall"),
            models.Index(fields=["project", "status", "-created_at"], name="snapshot_gallery"),
            models.Index(fields=["uploader", "project"], name="snapshot_uploader"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=("pending", "approved", "hidden")),
                name="snapshot_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status="hidden") | Q(hidden_reason=""),
                name="snapshot_reason_only_when_hidden",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("snapshots:detail", args=[self.key])

    @property
    def image_url(self) -> str:
        return reverse("snapshots:image", args=[self.key])

    @property
    def thumb_url(self) -> str:
        return reverse("snapshots:thumb", args=[self.key])

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_public(self) -> bool:
        """Anybody may see it: approved, and its project is public (not a draft, not cancelled)."""
        return self.is_approved and self.project.status in PUBLIC_PROJECT_STATUSES

    @property
    def uploader_label(self) -> str:
        """Who took it, as the public sees it: the organisation, or the volunteer's masked name."""
        if self.by_organiser:
            return self.project.organisation.name
        volunteer = getattr(self.uploader, "volunteer", None)
        if volunteer is not None:
            return volunteer.masked_name
        return mask_name(self.uploader.display_name) or str(_("Volunteer"))
