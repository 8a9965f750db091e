"""Pages: request and download certificates, verify them; apply for, issue and show passports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyi import permissions
from gongyi.accounts.backends import client_ip
from gongyi.accounts.selectors import volunteer_of
from gongyi.certificates import forms, pdf, selectors, services, verification
from gongyi.certificates.models import LANGUAGE_CODES
from gongyi.core.errors import ServiceError
from gongyi.core.views import run_service


def pdf_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_unavailable(request, error: ServiceError):
    return render(
        request, "certificates/pdf_unavailable.html", {"message": error.message}, status=503
    )


def _pdf_language(request, default: str) -> str:
    """The language asked for in `?lang=`, else the default."""
    language = request.GET.get("lang")
    return language if language in LANGUAGE_CODES else default


# --- certificates ---------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    volunteer = volunteer_of(request.user)
    certificates = selectors.my_certificates(volunteer=volunteer) if volunteer else []
    return render(
        request,
        "certificates/mine.html",
        {"volunteer": volunteer, "certificates": certificates},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_certificate(request):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "certificates/request.html", {"volunteer": None})
    projects = selectors.served_projects(volunteer=volunteer)
    form = forms.CertificateRequestForm(request.POST or None, projects=projects)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        certificate = run_service(
            request,
            services.certificate_request,
            volunteer=volunteer,
            start=data["start"],
            end=data["end"],
            project_ids=data["projects"],
            language=data["language"],
        )
        if certificate is not None:
            messages.success(
                request,
                _("Certificate %(number)s is issued: download it below.")
                % {"number": certificate.number},
            )
            return redirect("certificates:mine")
    return render(
        request,
        "certificates/request.html",
        {"volunteer": volunteer, "form": form, "has_projects": bool(projects)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def certificate_pdf(request, number: str):
    certificate = selectors.certificate_for_holder(user=request.user, number=number)
    language = _pdf_language(request, certificate.language)
    try:
        body = pdf.certificate_pdf(
            certificate,
            selectors.covered_rows(certificate),
            verify_url=verification.certificate_verify_url(request, certificate),
            language=language,
        )
    except pdf.FontMissing as error:
        return _pdf_unavailable(request, error)
    suffix = "-en" if language == "en" else ""
    return pdf_response(body, f"{certificate.number}{suffix}.pdf")


def _verify_page(request, *, check, name: str, template: str, details):
    """A public verification page: the form, and (number and code in the query, as the QR
    code opens it) the verdict. `details(found)` adds what the page shows of a genuine one."""
    form = forms.VerifyForm(request.GET or None)
    context = {"form": form, "checked": False}
    status = 200
    if form.is_valid():
        try:
            found = check(**form.cleaned_data, ip=client_ip(request))
        except verification.Throttled as error:
            context["error"] = error.message
            status = 429
        else:
            context.update({"checked": True, name: found})
            if found is not None:
                context.update(details(found))
    return render(request, template, context, status=status)


@require_GET
def verify(request):
    """Public: verify a certificate (live or revoked) and show what it certifies."""
    return _verify_page(
        request,
        check=verification.check_certificate,
        name="certificate",
        template="certificates/verify.html",
        details=lambda certificate: {"rows": selectors.covered_rows(certificate)},
    )


# --- passports ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def passport_mine(request):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "certificates/passport.html", {"volunteer": None})
    form = forms.PassportApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        applied = run_service(
            request,
            services.passport_apply,
            volunteer=volunteer,
            district=form.cleaned_data["district"],
        )
        if applied is not None:
            messages.success(request, _("Application received: the district admin decides."))
            return redirect("passport:mine")
    passport = selectors.current_passport(volunteer=volunteer)
    home_district = services.home_district(volunteer)
    context = {
        "volunteer": volunteer,
        "passport": passport,
        "form": form,
        "needs_district": home_district is None,
        "home_district": home_district,
    }
    if passport is not None and passport.is_issued:
        context["summary"] = selectors.passport_summary(volunteer)
        context["qr"] = verification.qr_data_uri(
            verification.passport_verify_url(request, passport)
        )
    return render(
        request,
        "certificates/passport.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def passport_pdf(request):
    volunteer = volunteer_of(request.user)
    passport = selectors.current_passport(volunteer=volunteer) if volunteer else None
    if passport is None or not passport.is_issued:
        messages.error(request, _("You have no issued passport yet."))
        return redirect("passport:mine")
    page_language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGE_CODES else "zh-hans"
    language = _pdf_language(request, page_language)
    try:
        body = pdf.passport_pdf(
            passport,
            selectors.passport_summary(volunteer),
            verify_url=verification.passport_verify_url(request, passport),
            language=language,
        )
    except pdf.FontMissing as error:
        return _pdf_unavailable(request, error)
    return pdf_response(body, f"{passport.number}.pdf")


@login_required
@require_GET
def passport_queue(request):
    permissions.require(permissions.can_see_passport_queue(request.user))
    applications = list(selectors.passport_queue(user=request.user))
    return render(
        request,
        "certificates/passport_queue.html",
        {"applications": applications, "reject_form": forms.ReasonForm()},
    )


@login_required
@require_POST
def passport_issue(request, pk: int):
    passport = selectors.passport_to_decide(user=request.user, pk=pk)
    issued = run_service(request, services.passport_issue, actor=request.user, passport=passport)
    if issued is not None:
        messages.success(request, _("Passport %(number)s is issued.") % {"number": issued.number})
    return redirect("passport:queue")


@login_required
@require_POST
def passport_reject(request, pk: int):
    passport = selectors.passport_to_decide(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("passport:queue")
    if run_service(
        request,
        services.passport_reject,
        actor=request.user,
        passport=passport,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("Rejected; the volunteer is told why."))
    return redirect("passport:queue")


@require_GET
def passport_verify(request):
    """Public: verify an issued passport and show the holder's service as it stands."""
    return _verify_page(
        request,
        check=verification.check_passport,
        name="passport",
        template="certificates/passport_verify.html",
        details=lambda passport: {"summary": selectors.passport_summary(passport.volunteer)},
    )
