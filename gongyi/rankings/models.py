"""Published rankings (like the annual 百强 list): frozen, dated, not changed by later
corrections. Live rankings are read from the hour tallies and are not stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedRanking(models.Model):
    subject = models.CharField(_("ranked"), max_length=16)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("0: all time"))
    month = models.PositiveSmallIntegerField(_("month"), help_text=_("0: the whole year"))
    as_of = models.DateField(_("as of"))
    title = models.CharField(_("title"), max_length=100)
    # [{"rank", "subject_id", "name", "district", "minutes", "hours"}], written once at publication.
    entries = models.JSONField(_("entries"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
