"""Volunteer service organisations (志愿服务组织) and their members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongyi.core.masking import mask_name, mask_phone


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        GOVERNMENT = "government", _("Government unit")
        ENTERPRISE = "enterprise", _("Enterprise")
        SCHOOL = "school", _("School")
        COMMUNITY_TEAM = "community_team", _("Community volunteer team")
        PROFESSIONAL_TEAM = "professional_team", _("Professional volunteer team")
        SPECIAL_TEAM = "special_team", _("Special volunteer team")

    # Registered bodies carry a unified social credit code; volunteer teams do not.
    KINDS_WITH_CREDIT_CODE = frozenset({"association", "government", "enterprise", "school"})

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="community_teams",
    )
    address = models.CharField(_("address"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    introduction = models.TextField(_("introduction"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="orgs/logos/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A community team belongs to exactly one community; nothing else names one.
            models.CheckConstraint(
                condition=models.Q(kind="community_team", community__isnull=False)
                | (~models.Q(kind="community_team") & models.Q(community__isnull=True)),
                name="org_community_team_has_community",
            ),
            models.UniqueConstraint(
                fields=["district", "name"], name="org_name_unique_in_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def can_publish(self) -> bool:
        """Only a verified organisation may publish projects or recruit members."""
        return self.status == self.Status.VERIFIED

    @property
    def needs_credit_code(self) -> bool:
        return self.kind in self.KINDS_WITH_CREDIT_CODE

    @property
    def masked_contact_name(self) -> str:
        return mask_name(self.contact_name)

    @property
    def live_base(self) -> "BaseDesignation | None":
        """The application waiting or the naming in force (public-welfare base), if any."""
        return self.base_designations.filter(status__in=BaseDesignation.LIVE_STATUSES).first()

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class Membership(models.Model):
    """A user's place in an organisation, from invitation or join request to active member."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        LEADER = "leader", _("Project leader")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")

    LIVE_STATUSES = ("invited", "requested", "active")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    message = models.CharField(_("message"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status__in=("invited", "requested", "active")),
                name="membership_one_live_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES


class BaseDesignation(models.Model):
    """An organisation's naming as a public-welfare base (公益基地): it applies, the district
    admin of its district names it (授牌) or refuses with a reason, and may revoke it."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        NAMED = "named", _("Named a base")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    LIVE_STATUSES = ("applied", "named")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="base_designations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    statement = models.TextField(_("what the base offers"), max_length=2000)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    named_on = models.DateField(_("named on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("public-welfare base designation")
        verbose_name_plural = _("public-welfare base designations")
        ordering = ["-applied_at", "-id"]
        constraints = [
            # One live application or naming per organisation at a time.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status__in=("applied", "named")),
                name="base_one_live_designation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_status_display()}"
