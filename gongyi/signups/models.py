"""Signups (报名): a volunteer's place on a shift, and the lottery draws of hot projects."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Signup(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    # A live signup holds (or waits for) a place; invariant 2 allows one per volunteer and shift.
    LIVE = ("pending", "confirmed", "waitlisted")

    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="signups",
    )
    shift = models.ForeignKey(
        "projects.Shift", verbose_name=_("shift"), on_delete=models.CASCADE, related_name="signups"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Position in a lottery draw (1 = drawn first); empty for first-come projects.
    draw_rank = models.PositiveIntegerField(_("draw rank"), null=True, blank=True)
    # NULL, not "": signups without a key must not collide on the unique constraint.
    idempotency_key = models.CharField(  # noqa: DJ001
        _("idempotency key"), max_length=100, null=True, blank=True
    )

    class Meta:
        verbose_name = _("signup")
        verbose_name_plural = _("signups")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["shift", "status", "created_at"], name="signup_shift_queue"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "shift"],
                condition=Q(status__in=("pending", "confirmed", "waitlisted")),
                name="signup_one_live_per_shift",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "idempotency_key"], name="signup_idempotency_key_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift_id} · {self.get_status_display()}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class LotteryDraw(models.Model):
    """The published draw of a lottery project: anyone can re-run it from the seed."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="lottery_draw",
    )
    seed = models.CharField(_("random seed"), max_length=64)
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)
    # {"shifts": {"<shift id>": {"order": [signup ids, drawn order], "places": n,
    #                             "confirmed": k}}}
    summary = models.JSONField(_("result summary"), default=dict)

    class Meta:
        verbose_name = _("lottery draw")
        verbose_name_plural = _("lottery draws")

    def __str__(self) -> str:
        return f"{self.project.number} · {self.seed}"
