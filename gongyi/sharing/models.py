"""Short share links and their counts.

One link per shared target (kind, key), made on first share: the unique constraint on
(kind, key) makes get-or-create race-safe, the unique code makes the short address. Counts
are kept on the link and grown by one conditional-free `UPDATE … SET n = n + 1`, so
concurrent visits never lose one. A target that belongs to a project (the project itself,
later its snapshots) carries the project, so its figures are a sum over its links.
"""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.sharing import kinds

# No look-alikes: no 0/O, 1/I/L; upper case only, so a code read aloud or typed works.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 7  # 31**7 ≈ 2.7e10 codes: collisions are rare and retried


class ShareLink(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    kind = models.CharField(_("kind"), max_length=16)
    key = models.CharField(_("key"), max_length=kinds.KEY_MAX_LENGTH)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="share_links",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    shares = models.PositiveBigIntegerField(_("shares"), default=0)
    visits = models.PositiveBigIntegerField(_("visits"), default=0)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="share_link_one_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.kind}:{self.key}"

    def get_absolute_url(self) -> str:
        return reverse("sharing:visit", args=[self.code])

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)
