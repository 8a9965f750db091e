"""The platform's own traffic, counted by `gongyi.traffic.middleware` (definitions in
`gongyi.traffic.selectors`).

- `TrafficMinute`: page views in one minute, added to by every app process (additive upsert).
- `TrafficVisitor`: one row per distinct visitor per minute, a day-salted keyed hash, never an
  IP address or a session key; kept two days only (the peak of each day is rolled up first).
- `TrafficDay`: the rolled-up day (visits and the peak of concurrent visitors), kept for good.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrafficMinute(models.Model):
    minute = models.DateTimeField(_("minute"), unique=True)
    visits = models.BigIntegerField(_("page views"), default=0)

    class Meta:
        verbose_name = _("traffic minute")
        verbose_name_plural = _("traffic minutes")
        ordering = ["-minute"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visits__gte=0), name="traffic_minute_visits_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.visits}"


class TrafficVisitor(models.Model):
    minute = models.DateTimeField(_("minute"))
    visitor = models.CharField(
        _("visitor"),
        max_length=32,
        help_text=_("A keyed hash, salted by the day: it cannot be traced back to a person."),
    )

    class Meta:
        verbose_name = _("visitor in a minute")
        verbose_name_plural = _("visitors in a minute")
        ordering = ["-minute"]
        constraints = [
            # Several processes insert the same visitor for the same minute: counted once.
            models.UniqueConstraint(fields=["minute", "visitor"], name="traffic_visitor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.minute:%Y-%m-%d %H:%M} {self.visitor[:8]}…"


class TrafficDay(models.Model):
    day = models.DateField(_("day"), unique=True)
    visits = models.BigIntegerField(_("page views"), default=0)
    peak_concurrent = models.IntegerField(_("peak of concurrent visitors"), default=0)
    peak_minute = models.DateTimeField(_("minute of the peak"), null=True, blank=True)
    rolled_up_at = models.DateTimeField(_("rolled up at"))

    class Meta:
        verbose_name = _("traffic day")
        verbose_name_plural = _("traffic days")
        ordering = ["-day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visits__gte=0, peak_concurrent__gte=0),
                name="traffic_day_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.visits} / {self.peak_concurrent}"
