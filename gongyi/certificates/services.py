"""Issuing and revoking certificates; applying for, issuing and rejecting passports.

A certificate is issued at once from the volunteer's effective ledger records and frozen:
its number comes from a counter row taken inside the same transaction (race-safe), its
verification code is random. A correction to a record it covers revokes it (the receiver of
`gongyi.service.signals.record_corrected` calls `revoke_for_correction`).
"""

from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi import permissions
from gongyi.accounts.models import Volunteer
from gongyi.certificates import numbers
from gongyi.certificates.models import LANGUAGE_CODES, Certificate, CertificateRecord, Passport
from gongyi.core.audit import audit_log
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.notices.services import notify
from gongyi.regions.models import Region
from gongyi.service import selectors as ledger

MAX_PROJECTS = 50
CONTENT_SEPARATOR = "、"


# --- certificates ---------------------------------------------------------------------------


def certificate_request(
    *,
    volunteer: Volunteer,
    start: date | None = None,
    end: date | None = None,
    project_ids: list[int] | None = None,
    language: str = "zh-hans",
    now: datetime | None = None,
) -> Certificate:
    """Issue a certificate of the volunteer's effective hours in a period and/or projects."""
    now = now or timezone.now()
    project_ids = sorted(set(project_ids or []))
    _check_scope(start, end, project_ids)
    if language not in LANGUAGE_CODES:
        raise ServiceError("bad_language", _("Choose Chinese or English."), field="language")
    with transaction.atomic():
        records = list(
            ledger.effective_records(
                volunteer, start=start, end=end, project_ids=project_ids or None
            )
        )
        if not records:
            raise ServiceError(
                "no_records",
                _("You have no confirmed service hours in what you chose: nothing to certify."),
            )
        certificate = Certificate.objects.create(
            number=numbers.certificate_number(timezone.localdate(now).year),
            code=numbers.new_code(),
            volunteer=volunteer,
            language=language,
            period_start=start,
            period_end=end,
            project_ids=project_ids,
            issued_at=now,
            **_frozen_contents(volunteer, records),
        )
        CertificateRecord.objects.bulk_create(
            CertificateRecord(certificate=certificate, record=r, minutes=r.minutes) for r in records
        )
        audit_log(
            actor=volunteer.user,
            action="certificate.issued",
            target=certificate,
            number=certificate.number,
            records=len(records),
            minutes=certificate.total_minutes,
        )
    return certificate


def _check_scope(start: date | None, end: date | None, project_ids: list[int]) -> None:
    if start and end and start > end:
        raise ServiceError(
            "bad_period", _("The start date must not be after the end date."), field="end"
        )
    if len(project_ids) > MAX_PROJECTS:
        raise ServiceError(
            "too_many_projects",
            _("Choose at most %(n)s projects.") % {"n": MAX_PROJECTS},
            field="project_ids",
        )


def _frozen_contents(volunteer: Volunteer, records: list) -> dict:
    """What the certificate says, copied now so it never changes afterwards."""
    organisations: list[str] = []
    contents: list[str] = []
    for record in records:
        if record.organisation.name not in organisations:
            organisations.append(record.organisation.name)
        if record.content and record.content not in contents:
            contents.append(record.content)
    return {
        "holder_name": volunteer.real_name,
        "id_type": volunteer.id_type,
        "id_number_masked": volunteer.id_number_masked,
        "volunteer_number": volunteer.number,
        "total_minutes": sum(r.minutes for r in records),
        "record_count": len(records),
        "first_served_on": min(r.served_on for r in records),
        "last_served_on": max(r.served_on for r in records),
        "content": _clip(CONTENT_SEPARATOR.join(contents), 300),
        "organisations": organisations,
        "issuer": _issuer(volunteer, records),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _issuer(volunteer: Volunteer, records: list) -> str:
    """The city platform: the volunteer's home city, else the city of the first organisation."""
    region_id = volunteer.home_region_id or records[0].organisation.district_id
    city = Region.objects.filter(pk=region_id).values_list("city__name", flat=True).first()
    return _clip(f"{city or ''}志愿服务平台", 100)


def revoke_for_correction(*, record, correction, now: datetime | None = None) -> list[Certificate]:
    """Revoke every live certificate covering `record`, now corrected; tell the holder."""
    now = now or timezone.now()
    covering = CertificateRecord.objects.filter(record_id=record.pk).values("certificate_id")
    with transaction.atomic():
        certificates = list(
            Certificate.objects.select_for_update(of=("self",))
            .select_related("volunteer__user")
            .filter(pk__in=covering, status=Certificate.Status.LIVE)
            .order_by("pk")
        )
        for certificate in certificates:
            _revoke(certificate, record, correction, now)
    return certificates


def _revoke(certificate: Certificate, record, correction, now: datetime) -> None:
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = now
    certificate.revoked_reason = (correction.reason or "")[:300]
    certificate.revoked_by_correction = correction
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_reason", "revoked_by_correction"]
    )
    audit_log(
        actor=correction.recorded_by,
        action="certificate.revoked",
        target=certificate,
        record=record.pk,
        correction=correction.pk,
    )
    notify(
        user=certificate.volunteer.user,
        kind="certificate.revoked",
        title=_("Certificate %(number)s is revoked: a record it covers was corrected")
        % {"number": certificate.number},
        body=_(
            "The record of %(day)s (%(activity)s) was corrected. Reason: %(reason)s. "
            "You can request a new certificate at once."
        )
        % {
            "day": record.served_on.isoformat(),
            "activity": record.activity,
            "reason": correction.reason or "—",
        },
        url=reverse("certificates:request"),
    )


# --- passports ------------------------------------------------------------------------------


def home_district(volunteer: Volunteer) -> Region | None:
    return volunteer.home_region.district if volunteer.home_region_id else None


def passport_apply(
    *, volunteer: Volunteer, district: Region | None = None, now: datetime | None = None
) -> Passport:
    """Apply for a passport in the home district (or the one chosen when none is set).

    A repeated application changes nothing and answers with the live one.
    """
    now = now or timezone.now()
    district = home_district(volunteer) or district
    if district is None:
        raise ServiceError(
            "district_required",
            _("Choose the district that issues your passport."),
            field="district",
        )
    if district.level != Region.Level.DISTRICT:
        raise ServiceError("bad_district", _("Choose a district."), field="district")
    with transaction.atomic():
        # Serialise this volunteer's applications; the partial unique constraint backs it up.
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        live = Passport.objects.filter(volunteer=volunteer, status__in=Passport.LIVE).first()
        if live is not None:
            return live
        passport = Passport.objects.create(volunteer=volunteer, district=district, applied_at=now)
        audit_log(
            actor=volunteer.user, action="passport.applied", target=passport, district=district.pk
        )
    return passport


def _decidable(actor, passport: Passport) -> Passport:
    if not permissions.can_issue_passport(actor, passport):
        raise NotAllowed("forbidden", _("Only the district admin of this district may do this."))
    passport = Passport.objects.select_for_update().select_related("district").get(pk=passport.pk)
    if passport.status != Passport.Status.APPLIED:
        raise ServiceError("not_applied", _("This application has already been decided."))
    return passport


def passport_issue(*, actor, passport: Passport, now: datetime | None = None) -> Passport:
    """Issue the passport: it gets its number (`HZ` + district code + 6 digits) and code."""
    now = now or timezone.now()
    with transaction.atomic():
        passport = _decidable(actor, passport)
        passport.number = numbers.passport_number(passport.district.code)
        passport.code = numbers.new_code()
        passport.status = Passport.Status.ISSUED
        passport.decided_at, passport.decided_by = now, actor
        passport.save(update_fields=["number", "code", "status", "decided_at", "decided_by"])
        audit_log(actor=actor, action="passport.issued", target=passport, number=passport.number)
        notify(
            user=passport.volunteer.user,
            kind="passport.issued",
            title=_("Your public-welfare passport is issued: %(number)s")
            % {"number": passport.number},
            url=reverse("passport:mine"),
        )
    return passport


def passport_reject(
    *, actor, passport: Passport, reason: str, now: datetime | None = None
) -> Passport:
    """Reject the application with a reason the volunteer is told; they may apply again."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("reason_required", _("Please give a reason."), field="reason")
    with transaction.atomic():
        passport = _decidable(actor, passport)
        passport.status = Passport.Status.REJECTED
        passport.rejection_reason = reason[:300]
        passport.decided_at, passport.decided_by = now, actor
        passport.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
        audit_log(actor=actor, action="passport.rejected", target=passport, reason=reason[:300])
        notify(
            user=passport.volunteer.user,
            kind="passport.rejected",
            title=_("Your passport application was not accepted"),
            body=_("Reason: %(reason)s") % {"reason": reason[:300]},
            url=reverse("passport:mine"),
        )
    return passport
