"""Certificates of volunteer service (志愿服务证明) and the public-welfare passport (公益护照).

A certificate freezes what it certifies when it is issued: the holder's identity as shown,
the totals, the texts, and (in a through table) the ledger records it covers, so the public
verification page always shows what was certified. A correction to a covered record revokes
it. A passport is applied for by the volunteer and issued (numbered) by the district admin;
its page shows the volunteer's service as it stands, read from the ledger.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongyi.accounts.models import Volunteer
from gongyi.core.masking import mask_name
from gongyi.service import ledger


class NumberCounter(models.Model):
    """The last sequence number given out under a prefix (`ZM2026`, `HZ310101`).

    Numbers are taken by one conditional UPDATE inside the issuing transaction, so the row
    lock serialises concurrent issuers and no two certificates or passports share a number.
    """

    prefix = models.CharField(_("prefix"), max_length=16, primary_key=True)
    last = models.PositiveBigIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


LANGUAGES = [("zh-hans", "中文"), ("en", "English")]
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)


class Certificate(models.Model):
    """A numbered, verifiable proof of service (志愿服务证明), issued at once and free."""

    class Status(models.TextChoices):
        LIVE = "live", pgettext_lazy("certificate status", "Valid")
        REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")

    class Scope(models.TextChoices):
        PERIOD = "period", _("A period")
        PROJECTS = "projects", _("Chosen projects")

    # `ZM` + year + 8 digits, from NumberCounter.
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    # A bearer secret printed on the certificate and in its QR code; kept in clear because
    # the holder downloads the certificate again (with its QR code) whenever they like.
    code = models.CharField(_("verification code"), max_length=8)
    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGES, default="zh-hans")
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    project_ids = models.JSONField(_("chosen projects"), default=list, blank=True)

    # Frozen at issue: what the certificate says, whatever changes later.
    holder_name = models.CharField(_("name"), max_length=50)
    id_type = models.CharField(_("ID type"), max_length=16)
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=32, blank=True)
    volunteer_number = models.CharField(_("volunteer number"), max_length=16)
    total_minutes = models.PositiveIntegerField(_("total service time (minutes)"))
    record_count = models.PositiveIntegerField(_("records covered"))
    first_served_on = models.DateField(_("first day of service"))
    last_served_on = models.DateField(_("last day of service"))
    content = models.CharField(_("service content"), max_length=300)
    organisations = models.JSONField(_("recording organisations"), default=list)
    issuer = models.CharField(_("issued by"), max_length=100)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.LIVE, db_index=True
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    revoked_by_correction = models.ForeignKey(
        "service.ServiceRecord",
        verbose_name=_("revoked by the correction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    records = models.ManyToManyField(
        "service.ServiceRecord",
        verbose_name=_("records covered"),
        through="CertificateRecord",
        related_name="certificates",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="live", revoked_at__isnull=True)
                | Q(status="revoked", revoked_at__isnull=False),
                name="certificate_revoked_has_date",
            ),
            models.CheckConstraint(
                condition=Q(last_served_on__gte=models.F("first_served_on")),
                name="certificate_service_period",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def scope(self) -> "Certificate.Scope":
        return self.Scope.PROJECTS if self.project_ids else self.Scope.PERIOD

    @property
    def hours(self) -> str:
        return ledger.hours(self.total_minutes)

    @property
    def masked_holder(self) -> str:
        return mask_name(self.holder_name)

    @property
    def id_type_label(self) -> str:
        return str(dict(Volunteer.IdType.choices).get(self.id_type, self.id_type))

    @property
    def verify_path(self) -> str:
        """The public verification page of this certificate (number and code filled in)."""
        query = urlencode({"number": self.number, "code": self.code})
        return f"{reverse('certificates:verify')}?{query}"


class CertificateRecord(models.Model):
    """One ledger record a certificate covers, with the minutes it counted."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="covered",
    )
    record = models.ForeignKey(
        "service.ServiceRecord",
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    minutes = models.PositiveIntegerField(_("minutes counted"))

    class Meta:
        verbose_name = _("covered record")
        verbose_name_plural = _("covered records")
        ordering = ["certificate_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "record"], name="certificate_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} · {self.record_id}"


class Passport(models.Model):
    """A volunteer's public-welfare passport (公益护照): applied for, then issued or rejected."""

    class Status(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("passport status", "Applied")
        ISSUED = "issued", pgettext_lazy("passport status", "Issued")
        REJECTED = "rejected", pgettext_lazy("passport status", "Rejected")

    LIVE = ("applied", "issued")

    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="passports",
    )
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    # `HZ` + district code + 6 digits, given when issued; NULL (not "") until then, so the
    # unique constraint ignores applications.
    number = models.CharField(
        _("passport number"), max_length=20, unique=True, null=True, blank=True
    )
    code = models.CharField(_("verification code"), max_length=8, blank=True)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("passport")
        verbose_name_plural = _("passports")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=Q(status__in=("applied", "issued")),
                name="passport_one_live_per_volunteer",
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(number__isnull=False),
                name="passport_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk} ({self.get_status_display()})"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def verify_path(self) -> str:
        query = urlencode({"number": self.number or "", "code": self.code})
        return f"{reverse('passport:verify')}?{query}"
