"""The big-data dashboard (大数据平台): one stored snapshot of figures per city and district.

The figures (`selectors.compute`) read summary rows and small tables; the one ledger count
(active volunteers) is too slow for a request at city scale, so the pages and the API read
the stored snapshot, kept fresh by `manage.py refresh_dashboards` (every minute in `make run`)
and computed again when a request reads it missing or stale.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DashboardSnapshot(models.Model):
    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="dashboard_snapshot",
    )
    computed_at = models.DateTimeField(_("computed at"))
    data = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return f"{self.region} @ {self.computed_at:%Y-%m-%d %H:%M}"
