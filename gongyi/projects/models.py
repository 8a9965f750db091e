"""Service projects (志愿服务项目), where they are served and when: categories, points, shifts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongyi.core.masking import mask_name, mask_phone


class TaxonomyEntry(models.Model):
    """An entry of a taxonomy the city admin keeps: a code, a Chinese and an English name."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the current language (the Chinese name when no English one is given)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Category(TaxonomyEntry):
    """Two-level service taxonomy (服务类别); the city admin edits it in the admin."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("main category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")


class Beneficiary(TaxonomyEntry):
    """Who a project serves (服务对象): children, the elderly, people with disabilities…"""

    class Meta(TaxonomyEntry.Meta):
        verbose_name = _("beneficiary group")
        verbose_name_plural = _("beneficiary groups")


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Concluded")  # 已结项
        CANCELLED = "cancelled", _("Cancelled")

    # Concluded or cancelled: kept on record, never edited again.
    FINISHED = (Status.CLOSED, Status.CANCELLED)

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("On site")
        ONLINE = "online", _("Online")

    class Allocation(models.TextChoices):
        FIRST_COME = "first_come", _("First come, first served")
        LOTTERY = "lottery", _("Lottery draw")

    # `P` + district code + date + sequence, given when the project is first saved.
    number = models.CharField(_("project number"), max_length=32, unique=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)  # sanitised HTML
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    subcategory = models.ForeignKey(
        Category,
        verbose_name=_("subcategory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    beneficiaries = models.ManyToManyField(
        Beneficiary, verbose_name=_("beneficiary groups"), blank=True, related_name="projects"
    )
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    recruit_start = models.DateTimeField(_("recruitment opens"))
    recruit_end = models.DateTimeField(_("recruitment closes"))
    service_start = models.DateField(_("service starts"))
    service_end = models.DateField(_("service ends"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    real_name_only = models.BooleanField(_("registered volunteers only"), default=True)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    # Recruit only members of these teams (empty: anyone).
    teams_only = models.ManyToManyField(
        "orgs.Organisation",
        verbose_name=_("only members of these teams"),
        blank=True,
        related_name="+",
    )
    review_required = models.BooleanField(_("signups need the organiser's approval"), default=False)
    allocation = models.CharField(
        _("allocation"), max_length=12, choices=Allocation.choices, default=Allocation.FIRST_COME
    )
    cancel_hours_before = models.PositiveSmallIntegerField(
        _("volunteers may cancel until (hours before the shift)"), default=24
    )
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    cover = models.ImageField(_("cover image"), upload_to="projects/covers/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # Space-joined jieba tokens of title, summary and description: what keyword search reads.
    search_tokens = models.TextField(_("search tokens"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The first shift from now on, kept by the services (gongyi.projects.next_starts) so that
    # "starting soon" is an index read, not a subquery for each of 50,000 projects.
    next_start = models.DateTimeField(_("next shift starts"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "district", "category"], name="project_browse"),
            # The finder's default order (newest first) read straight from an index.
            models.Index(fields=["status", "-published_at", "-id"], name="project_newest"),
            models.Index(fields=["status", "next_start", "-id"], name="project_soon"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recruit_end__gt=F("recruit_start")), name="project_recruit_window"
            ),
            models.CheckConstraint(
                condition=Q(service_end__gte=F("service_start")), name="project_service_period"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="project_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.number])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def public_status(self, now=None) -> str:
        """The national label: 招募待启动 / 招募中 / 招募已结束 / 已结项, or draft / cancelled."""
        if self.status != self.Status.PUBLISHED:
            return self.status
        now = now or timezone.now()
        if now < self.recruit_start:
            return "upcoming"
        return "recruiting" if now < self.recruit_end else "recruitment_ended"

    @property
    def public_status_label(self) -> str:
        return PUBLIC_STATUS_LABELS[self.public_status()]

    @property
    def masked_contact_name(self) -> str:
        return mask_name(self.contact_name)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


PUBLIC_STATUS_LABELS = {
    "draft": _("Draft"),
    "upcoming": _("Recruitment not yet open"),  # 招募待启动
    "recruiting": _("Recruiting"),  # 招募中
    "recruitment_ended": _("Recruitment ended"),  # 招募已结束
    "closed": _("Concluded"),  # 已结项
    "cancelled": _("Cancelled"),
}


class ServicePoint(models.Model):
    """Where a project is served (服务点); a project may have thousands."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="points"
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    geofence_metres = models.PositiveIntegerField(_("check-in radius (metres)"), default=500)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["project_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="point_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="point_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """A time slot of a project at a service point (班次).

    `taken` counts confirmed signups; the database refuses it above `capacity` (invariant 1),
    so a place is taken by one conditional UPDATE whose row count decides.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="shifts"
    )
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="shifts",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)  # None: unlimited
    taken = models.PositiveIntegerField(_("places taken"), default=0)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["project", "starts_at"], name="shift_project_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="shift_taken_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.title} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.taken

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)
