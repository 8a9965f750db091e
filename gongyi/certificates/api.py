"""API router of this app (mounted in gongyi/api.py at /api/v1/certificates).

Thin: the same selectors and services as the pages. Certificates are their holder's alone;
verification (of a certificate or a passport) is public and throttled per address.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from gongyi import permissions
from gongyi.accounts.backends import client_ip
from gongyi.certificates import pdf, selectors, services, verification
from gongyi.certificates.models import Certificate, Passport
from gongyi.certificates.views import pdf_response
from gongyi.core.api_types import RowId, errors, file_answer
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.service.selectors import hours
from gongyi.signups.services import volunteer_of

router = Router()


class Missing(ServiceError):
    """Nothing matches (an unknown number, a wrong code, no passport): a JSON 404."""

    status = 404


Number = Path(..., max_length=32, description="Certificate number, e.g. ZM202600000001")
PDF_ANSWER = file_answer("application/pdf")
NOT_FOUND = _("No certificate or passport with this number and code.")
NO_PASSPORT = _("You have no passport yet (or it is not issued yet).")


# --- schemas --------------------------------------------------------------------------------


class CertificateRequestIn(Schema):
    start: date | None = Field(None, description="First day of service to certify.")
    end: date | None = Field(None, description="Last day of service to certify.")
    project_ids: list[RowId] = Field(
        default_factory=list, max_length=services.MAX_PROJECTS, description="Empty: all."
    )
    language: Literal["zh-hans", "en"] = "zh-hans"


class CertificateOut(Schema):
    id: int
    number: str
    code: str = Field(description="Verification code: give it only to whoever should check.")
    status: str
    status_label: str
    language: str
    issued_at: datetime
    total_minutes: int
    hours: str
    record_count: int
    first_served_on: date
    last_served_on: date
    period_start: date | None
    period_end: date | None
    project_ids: list[int]
    content: str
    organisations: list[str]
    issuer: str
    revoked_at: datetime | None
    revoked_reason: str
    verify_url: str = Field(description="The public page the QR code opens.")
    pdf_url: str


class CoveredRecordOut(Schema):
    served_on: date
    activity: str
    place: str
    content: str
    organisation: str
    minutes: int
    hours: str


class CertificateVerifyQuery(Schema):
    number: str = Field(..., min_length=1, max_length=32)
    code: str = Field(..., min_length=1, max_length=32)


class CertificateVerifyOut(Schema):
    status: Literal["genuine", "revoked"]
    number: str
    holder: str = Field(description="Masked name.")
    id_type: str
    id_type_label: str
    id_number_masked: str
    volunteer_number: str
    total_minutes: int
    hours: str
    first_served_on: date
    last_served_on: date
    content: str
    organisations: list[str]
    issuer: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str
    records: list[CoveredRecordOut]


class CertificatePdfQuery(Schema):
    lang: Literal["zh-hans", "en"] | None = Field(None, description="Default: as requested.")


class PassportApplyIn(Schema):
    district_id: RowId | None = Field(
        None, description="Needed only when the volunteer has no home district."
    )


class PassportReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class PassportYearOut(Schema):
    year: int
    minutes: int
    hours: str


class PassportStampOut(Schema):
    organisation_id: int
    organisation: str
    kind: str
    kind_label: str
    minutes: int
    hours: str
    first_served_on: date


class PassportOut(Schema):
    id: int
    status: str
    status_label: str
    district_id: int
    district: str
    number: str | None
    code: str | None = Field(description="Verification code (the holder only, once issued).")
    applied_at: datetime
    decided_at: datetime | None
    rejection_reason: str
    verify_url: str | None
    total_minutes: int | None
    hours: str | None
    stars: int | None
    years: list[PassportYearOut]
    stamps: list[PassportStampOut]


class PassportApplicationOut(Schema):
    id: int
    status: str
    district_id: int
    district: str
    volunteer_number: str
    name: str = Field(description="Full name: the district admin needs it to decide.")
    id_number_masked: str
    applied_at: datetime
    total_minutes: int
    hours: str


class PassportVerifyOut(Schema):
    number: str
    holder: str = Field(description="Masked name.")
    id_number_masked: str
    volunteer_number: str
    district: str
    issued_at: datetime
    total_minutes: int
    hours: str
    stars: int
    years: list[PassportYearOut]
    stamps: list[PassportStampOut]


# --- building answers -----------------------------------------------------------------------


def certificate_out(request, certificate: Certificate) -> dict:
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "code": certificate.code,
        "status": certificate.status,
        "status_label": str(certificate.get_status_display()),
        "language": certificate.language,
        "issued_at": certificate.issued_at,
        "total_minutes": certificate.total_minutes,
        "hours": certificate.hours,
        "record_count": certificate.record_count,
        "first_served_on": certificate.first_served_on,
        "last_served_on": certificate.last_served_on,
        "period_start": certificate.period_start,
        "period_end": certificate.period_end,
        "project_ids": certificate.project_ids,
        "content": certificate.content,
        "organisations": certificate.organisations,
        "issuer": certificate.issuer,
        "revoked_at": certificate.revoked_at,
        "revoked_reason": certificate.revoked_reason,
        "verify_url": verification.certificate_verify_url(request, certificate),
        "pdf_url": reverse("api:certificate_pdf", args=[certificate.number]),
    }


def _summary_parts(summary: selectors.PassportSummary) -> dict:
    return {
        "total_minutes": summary.total_minutes,
        "hours": summary.hours,
        "stars": summary.stars,
        "years": [
            {"year": year, "minutes": minutes, "hours": hours(minutes)}
            for year, minutes in summary.years
        ],
        "stamps": [
            {
                "organisation_id": s.organisation_id,
                "organisation": s.name,
                "kind": s.kind,
                "kind_label": s.kind_label,
                "minutes": s.minutes,
                "hours": s.hours,
                "first_served_on": s.first_served_on,
            }
            for s in summary.stamps
        ],
    }


def passport_out(request, passport: Passport) -> dict:
    issued = passport.is_issued
    out = {
        "id": passport.pk,
        "status": passport.status,
        "status_label": str(passport.get_status_display()),
        "district_id": passport.district_id,
        "district": passport.district.name,
        "number": passport.number,
        "code": passport.code if issued else None,
        "applied_at": passport.applied_at,
        "decided_at": passport.decided_at,
        "rejection_reason": passport.rejection_reason,
        "verify_url": verification.passport_verify_url(request, passport) if issued else None,
        "total_minutes": None,
        "hours": None,
        "stars": None,
        "years": [],
        "stamps": [],
    }
    if issued:
        out.update(_summary_parts(selectors.passport_summary(passport.volunteer)))
    return out


# --- certificates ---------------------------------------------------------------------------


@router.post(
    "/",
    response={200: CertificateOut, **errors(400, 401, 403, 422)},
    summary="Request a certificate (issued at once, free)",
    description="Certifies the caller's confirmed hours in a period and/or in chosen projects. "
    "The answer carries the number, the verification code and the public verification URL.",
)
def request_certificate(request: HttpRequest, data: CertificateRequestIn):
    volunteer = volunteer_of(request.user)
    certificate = services.certificate_request(
        volunteer=volunteer,
        start=data.start,
        end=data.end,
        project_ids=list(data.project_ids),
        language=data.language,
    )
    return certificate_out(request, certificate)


@router.get(
    "/mine", response={200: list[CertificateOut], **errors(400, 401)}, summary="My certificates"
)
def mine(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    return [certificate_out(request, c) for c in selectors.my_certificates(volunteer=volunteer)]


@router.get(
    "/verify",
    auth=None,
    response={200: CertificateVerifyOut, **errors(404, 422, 429)},
    summary="Verify a certificate by number and code (public)",
    description="Genuine or revoked (with date and reason); an unknown number and a wrong code "
    "both answer 404. Wrong guesses are throttled per address (429).",
)
def verify(request: HttpRequest, query: Query[CertificateVerifyQuery]):
    certificate = verification.check_certificate(
        number=query.number, code=query.code, ip=client_ip(request)
    )
    if certificate is None:
        raise Missing("not_found", NOT_FOUND)
    return {
        "status": "genuine" if certificate.is_live else "revoked",
        "number": certificate.number,
        "holder": certificate.masked_holder,
        "id_type": certificate.id_type,
        "id_type_label": certificate.id_type_label,
        "id_number_masked": certificate.id_number_masked,
        "volunteer_number": certificate.volunteer_number,
        "total_minutes": certificate.total_minutes,
        "hours": certificate.hours,
        "first_served_on": certificate.first_served_on,
        "last_served_on": certificate.last_served_on,
        "content": certificate.content,
        "organisations": certificate.organisations,
        "issuer": certificate.issuer,
        "issued_at": certificate.issued_at,
        "revoked_at": certificate.revoked_at,
        "revoked_reason": certificate.revoked_reason,
        "records": [
            {**vars(row), "hours": row.hours} for row in selectors.covered_rows(certificate)
        ],
    }


@router.get(
    "/pdf/{number}",
    url_name="certificate_pdf",
    response={200: None, **errors(401, 403, 404, 422, 503)},
    openapi_extra=PDF_ANSWER,
    summary="Download a certificate as PDF (the holder only)",
)
def certificate_pdf(request: HttpRequest, query: Query[CertificatePdfQuery], number: str = Number):
    certificate = selectors.certificate_for_holder(user=request.user, number=number)
    language = query.lang or certificate.language
    body = pdf.certificate_pdf(
        certificate,
        selectors.covered_rows(certificate),
        verify_url=verification.certificate_verify_url(request, certificate),
        language=language,
    )
    return pdf_response(body, f"{certificate.number}.pdf")


# --- passports ------------------------------------------------------------------------------


@router.post(
    "/passport",
    response={200: PassportOut, **errors(400, 401, 403, 404, 422)},
    summary="Apply for a public-welfare passport",
    description="In the volunteer's home district, else in `district_id`. A repeated "
    "application answers with the live one and changes nothing.",
)
def passport_apply(request: HttpRequest, data: PassportApplyIn):
    volunteer = volunteer_of(request.user)
    district = None
    if data.district_id is not None:
        district = get_object_or_404(Region, pk=data.district_id)
    passport = services.passport_apply(volunteer=volunteer, district=district)
    return passport_out(request, passport)


@router.get(
    "/passport",
    response={200: PassportOut, **errors(400, 401, 404)},
    summary="My passport: its status, and once issued its number, stars, hours and stamps",
)
def passport_status(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    passport = selectors.current_passport(volunteer=volunteer)
    if passport is None:
        raise Missing("not_found", NO_PASSPORT)
    return passport_out(request, passport)


@router.get(
    "/passport/pdf",
    response={200: None, **errors(400, 401, 404, 422, 503)},
    openapi_extra=PDF_ANSWER,
    summary="Download my issued passport as PDF",
)
def passport_pdf(request: HttpRequest, query: Query[CertificatePdfQuery]):
    volunteer = volunteer_of(request.user)
    passport = selectors.current_passport(volunteer=volunteer)
    if passport is None or not passport.is_issued:
        raise Missing("not_found", NO_PASSPORT)
    body = pdf.passport_pdf(
        passport,
        selectors.passport_summary(volunteer),
        verify_url=verification.passport_verify_url(request, passport),
        language=query.lang or "zh-hans",
    )
    return pdf_response(body, f"{passport.number}.pdf")


@router.get(
    "/passport/queue",
    response={200: list[PassportApplicationOut], **errors(401, 403)},
    summary="Passport applications waiting in my districts (district admins)",
)
def passport_queue(request: HttpRequest):
    permissions.require(permissions.can_see_passport_queue(request.user))
    return [
        {
            "id": passport.pk,
            "status": passport.status,
            "district_id": passport.district_id,
            "district": passport.district.name,
            "volunteer_number": passport.volunteer.number,
            "name": passport.volunteer.real_name,
            "id_number_masked": passport.volunteer.id_number_masked,
            "applied_at": passport.applied_at,
            "total_minutes": passport.total_minutes,
            "hours": hours(passport.total_minutes),
        }
        for passport in selectors.passport_queue(user=request.user)
    ]


@router.post(
    "/passport/{passport_id}/issue",
    response={200: PassportOut, **errors(400, 401, 403, 404, 422)},
    summary="Issue a passport (the district admin of its district)",
)
def passport_issue(request: HttpRequest, passport_id: RowId):
    passport = selectors.passport_to_decide(user=request.user, pk=passport_id)
    passport = services.passport_issue(actor=request.user, passport=passport)
    return passport_out(request, passport)


@router.post(
    "/passport/{passport_id}/reject",
    response={200: PassportOut, **errors(400, 401, 403, 404, 422)},
    summary="Reject a passport application with a reason (the district admin of its district)",
)
def passport_reject(request: HttpRequest, passport_id: RowId, data: PassportReasonIn):
    passport = selectors.passport_to_decide(user=request.user, pk=passport_id)
    passport = services.passport_reject(actor=request.user, passport=passport, reason=data.reason)
    return passport_out(request, passport)


@router.get(
    "/passport/verify",
    auth=None,
    response={200: PassportVerifyOut, **errors(404, 422, 429)},
    summary="Verify a passport by number and code (public)",
)
def passport_verify(request: HttpRequest, query: Query[CertificateVerifyQuery]):
    passport = verification.check_passport(
        number=query.number, code=query.code, ip=client_ip(request)
    )
    if passport is None:
        raise Missing("not_found", NOT_FOUND)
    volunteer = passport.volunteer
    return {
        "number": passport.number,
        "holder": volunteer.masked_name,
        "id_number_masked": volunteer.id_number_masked,
        "volunteer_number": volunteer.number,
        "district": passport.district.name,
        "issued_at": passport.decided_at,
        **_summary_parts(selectors.passport_summary(volunteer)),
    }
