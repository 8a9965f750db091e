"""The service-hours ledger (志愿服务记录) and what feeds it: declarations, disputes, work days.

`ServiceRecord` is append-only (invariant 4): `save()` refuses an update, `delete()` refuses,
the queryset refuses `update()`/`delete()`, and a database trigger refuses UPDATE and DELETE
of the table (PostgreSQL and SQLite). A correction is a new row that points at the row it
replaces; a record is *effective* when no correction points at it. Each volunteer's records
form a hash chain (seq 1..n) that `manage.py verify_ledger` checks.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.service import ledger


class AppendOnlyError(Exception):
    """A service record was about to be changed or deleted: the ledger is append-only."""


class WorkdayOverride(models.Model):
    """A date whose status differs from the plain Mon–Fri week: a public holiday on a weekday,
    or a make-up working day (调休上班) on a weekend. Seeded from chinese-calendar (to 2026);
    the city admin adds later years' official schedule in the admin."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ServiceRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("service records are append-only: make a correction instead")

    def delete(self):
        raise AppendOnlyError("service records are append-only: make a correction instead")


class ServiceRecord(models.Model):
    """One ledger entry: confirmed hours of one volunteer, never updated, never deleted."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("Check-in and check-out")
        DECLARATION = "declaration", _("Volunteer's declaration")
        ENTRY = "entry", _("Entry by the organisation")
        CORRECTION = "correction", _("Correction")

    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    seq = models.PositiveIntegerField(_("sequence number"))
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("recording organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    shift = models.ForeignKey(
        "projects.Shift",
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    signup = models.ForeignKey(
        "signups.Signup",
        verbose_name=_("signup"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    attendance = models.ForeignKey(
        "attendance.Attendance",
        verbose_name=_("attendance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_records",
    )
    activity = models.CharField(_("activity"), max_length=100)  # 活动名称
    served_on = models.DateField(_("date"))  # 日期
    place = models.CharField(_("place"), max_length=200)  # 地点
    content = models.CharField(_("service content"), max_length=300)  # 服务内容
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes served"))  # 服务时间
    leader_name = models.CharField(_("person in charge"), max_length=50)  # 负责人
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = ServiceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["volunteer_id", "seq"]
        indexes = [
            models.Index(fields=["volunteer", "served_on"], name="record_volunteer_day"),
            models.Index(fields=["organisation", "served_on"], name="record_org_day"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "seq"], name="record_one_seq"),
            # Confirming twice never makes two records of one attendance (idempotent).
            models.UniqueConstraint(
                fields=["attendance"],
                condition=Q(source="attendance"),
                name="record_one_per_attendance",
            ),
            # One original record per signup, whether from check-in/out or a declaration.
            models.UniqueConstraint(
                fields=["signup"],
                condition=Q(source__in=("attendance", "declaration")),
                name="record_one_per_signup",
            ),
            # A record is corrected at most once: corrections form a chain, not a tree.
            models.UniqueConstraint(
                fields=["corrects"],
                condition=Q(corrects__isnull=False),
                name="record_corrected_once",
            ),
            models.CheckConstraint(
                condition=Q(source="correction", corrects__isnull=False)
                | (~Q(source="correction") & Q(corrects__isnull=True)),
                name="record_correction_points_back",
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="record_seq_from_one"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.activity} {self.served_on} {self.minutes} min"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("service records are append-only: make a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("service records are append-only: make a correction instead")

    def content_values(self) -> list:
        return [getattr(self, name) for name in ledger.CONTENT_FIELDS]

    def compute_hash(self) -> str:
        return ledger.record_hash(self.prev_hash, self.content_values())

    @property
    def hours(self) -> str:
        return ledger.hours(self.minutes)


class HoursExclusion(models.Model):
    """The leader left an attendance out of the confirmed hours, with a reason (logged)."""

    attendance = models.OneToOneField(
        "attendance.Attendance",
        verbose_name=_("attendance"),
        on_delete=models.PROTECT,
        related_name="hours_exclusion",
    )
    reason = models.CharField(_("reason"), max_length=300)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("excluded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    excluded_at = models.DateTimeField(_("excluded at"), default=timezone.now)

    class Meta:
        verbose_name = _("excluded attendance")
        verbose_name_plural = _("excluded attendances")

    def __str__(self) -> str:
        return f"{self.attendance_id} · {self.reason}"


class HoursDeclaration(models.Model):
    """补录: a volunteer declares hours for a past shift; they count once the leader confirms."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    signup = models.ForeignKey(
        "signups.Signup",
        verbose_name=_("signup"),
        on_delete=models.PROTECT,
        related_name="hours_declarations",
    )
    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="hours_declarations",
    )
    minutes = models.PositiveIntegerField(_("minutes declared"))
    note = models.CharField(_("note"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("declared at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    record = models.OneToOneField(
        ServiceRecord,
        verbose_name=_("service record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declaration",
    )
    flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hours declaration")
        verbose_name_plural = _("hours declarations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["signup"], condition=Q(status="pending"), name="declaration_one_pending"
            ),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="declaration_minutes_min"),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} · {self.minutes} min · {self.status}"

    @property
    def hours(self) -> str:
        return ledger.hours(self.minutes)


class OverdueShift(models.Model):
    """A shift whose hours were not confirmed within 10 working days; flagged once."""

    shift = models.OneToOneField(
        "projects.Shift",
        verbose_name=_("shift"),
        on_delete=models.CASCADE,
        related_name="hours_overdue",
    )
    deadline = models.DateField(_("deadline"))
    flagged_at = models.DateTimeField(_("flagged at"), default=timezone.now)

    class Meta:
        verbose_name = _("overdue shift")
        verbose_name_plural = _("overdue shifts")

    def __str__(self) -> str:
        return f"{self.shift_id} · {self.deadline}"


class RecordDispute(models.Model):
    """申诉: a volunteer disputes a record; the organisation answers; the district resolves."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the organisation")
        ANSWERED = "answered", _("Answered")
        ESCALATED = "escalated", _("With the district")
        RESOLVED = "resolved", _("Resolved")

    UNRESOLVED = ("open", "answered", "escalated")

    record = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.PROTECT,
        related_name="record_disputes",
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_by = models.ForeignKey(  # None: the platform, after 5 working days
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.CharField(_("resolution"), max_length=1000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    # The correction made in answer to (or in resolution of) the dispute, if any.
    correction = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("correction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("record dispute")
        verbose_name_plural = _("record disputes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(status__in=("open", "answered", "escalated")),
                name="dispute_one_unresolved_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.status}"

    @property
    def is_unresolved(self) -> bool:
        return self.status in self.UNRESOLVED
