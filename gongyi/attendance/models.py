"""Attendance (签到签退): check-in and check-out of a confirmed signup, and a project's policy."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Attendance(models.Model):
    """One per signup. Rows are created on the first check-in (or no-show) and never deleted."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code")
        LEADER = "leader", _("Leader entry")

    signup = models.OneToOneField(
        "signups.Signup",
        verbose_name=_("signup"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    in_method = models.CharField(
        _("check-in method"), max_length=10, choices=Method.choices, blank=True
    )
    out_method = models.CharField(
        _("check-out method"), max_length=10, choices=Method.choices, blank=True
    )
    # Where the phone said it was, and how far that is from the service point (geofence).
    in_latitude = models.FloatField(_("check-in latitude"), null=True, blank=True)
    in_longitude = models.FloatField(_("check-in longitude"), null=True, blank=True)
    in_distance_m = models.PositiveIntegerField(_("check-in distance (m)"), null=True, blank=True)
    out_latitude = models.FloatField(_("check-out latitude"), null=True, blank=True)
    out_longitude = models.FloatField(_("check-out longitude"), null=True, blank=True)
    out_distance_m = models.PositiveIntegerField(_("check-out distance (m)"), null=True, blank=True)
    # The leader who entered it (method "leader").
    in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    no_show = models.BooleanField(_("no-show"), default=False)
    reason = models.CharField(_("reason"), max_length=300, blank=True)  # leader entries, no-shows
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["signup_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_in_at__isnull=False),
                name="attendance_out_needs_in",
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=F("checked_in_at")),
                name="attendance_out_after_in",
            ),
            models.CheckConstraint(
                condition=Q(no_show=False) | Q(checked_in_at__isnull=True),
                name="attendance_no_show_not_in",
            ),
            models.CheckConstraint(
                condition=Q(in_latitude__isnull=True)
                | Q(in_latitude__gte=-90, in_latitude__lte=90),
                name="attendance_in_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(in_longitude__isnull=True)
                | Q(in_longitude__gte=-180, in_longitude__lte=180),
                name="attendance_in_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(out_latitude__isnull=True)
                | Q(out_latitude__gte=-90, out_latitude__lte=90),
                name="attendance_out_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(out_longitude__isnull=True)
                | Q(out_longitude__gte=-180, out_longitude__lte=180),
                name="attendance_out_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} · {self.state}"

    @property
    def state(self) -> str:
        """One word for lists and the API: no_show, out, in or none."""
        if self.no_show:
            return "no_show"
        if self.checked_out_at:
            return "out"
        if self.checked_in_at:
            return "in"
        return "none"


class AttendancePolicy(models.Model):
    """How a project checks people in: whether the phone must be on site (geofence)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="attendance_policy",
    )
    geofence_required = models.BooleanField(_("check-in only on site"), default=False)
    radius_m = models.PositiveIntegerField(_("check-in radius (metres)"), default=500)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance policy")
        verbose_name_plural = _("attendance policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_m__gte=10, radius_m__lte=10000),
                name="attendance_policy_radius_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} · {self.radius_m} m"
