"""Pages: my growth, the city's growth settings, my card settings, the public identity card."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongyi import permissions
from gongyi.accounts.selectors import volunteer_of
from gongyi.core.errors import ServiceError
from gongyi.core.images import FontMissing
from gongyi.core.views import run_service
from gongyi.growth import card, forms, selectors, services, share_kind

PUBLIC_CARD_MAX_AGE = 300  # seconds a shared image may be kept by chat apps and proxies


def card_url(request, number: str) -> str:
    """The absolute address of the public card: what the QR code opens."""
    return request.build_absolute_uri(reverse("growth:card", args=[number]))


def png_response(body: bytes, *, public: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="image/png")
    cache = f"public, max-age={PUBLIC_CARD_MAX_AGE}" if public else "private, no-store"
    response["Cache-Control"] = cache
    return response


def _no_font(error: FontMissing) -> HttpResponse:
    return HttpResponse(str(error.message), status=503, content_type="text/plain; charset=utf-8")


# --- my growth ------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    volunteer = volunteer_of(request.user)
    context = {"volunteer": volunteer}
    if volunteer is not None:
        context["mine"] = selectors.my_growth(volunteer)
        context["card_public"] = selectors.is_card_public(volunteer)
    return render(request, "growth/mine.html", context)


# --- the city's settings --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    permissions.require(permissions.can_edit_growth_settings(request.user))
    current = selectors.current_settings()
    data = request.POST if request.method == "POST" else None
    form = forms.SettingsForm(data, initial=forms.SettingsForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(actor=request.user, **form.service_arguments())
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Saved. Everyone's points, levels, stars and badges are being re-derived."),
            )
            return redirect("growth:settings")
    return render(
        request,
        "growth/settings.html",
        {"form": form, "current": current, "waiting": selectors.waiting_count(current)},
        status=400 if request.method == "POST" else 200,
    )


# --- the identity card ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def card_settings(request):
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        return render(request, "growth/card_settings.html", {"volunteer": None})
    current = selectors.card_settings_of(volunteer)
    data = request.POST if request.method == "POST" else None  # unticked: an empty POST
    form = forms.CardForm(data, initial={"is_public": current.is_public})
    if request.method == "POST" and form.is_valid():
        is_public = form.cleaned_data["is_public"]
        done = run_service(
            request,
            services.set_card_public,
            volunteer=volunteer,
            actor=request.user,
            is_public=is_public,
        )
        if done is not None:
            messages.success(
                request,
                _("Your card is public now.") if is_public else _("Your card is private now."),
            )
            return redirect("growth:card_settings")
    url = card_url(request, volunteer.number)
    return render(
        request,
        "growth/card_settings.html",
        {
            "volunteer": volunteer,
            "form": form,
            "current": current,
            "card": selectors.card_of(volunteer),
            "card_url": url,
            "share": share_kind.card_target(volunteer),  # the share panel and its meta tags
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def card_preview_png(request):
    """The volunteer's own card image, public or not (for the preview and for saving)."""
    volunteer = volunteer_of(request.user)
    if volunteer is None:
        raise Http404
    try:
        body = card.png(selectors.card_of(volunteer), card_url(request, volunteer.number))
    except FontMissing as error:
        return _no_font(error)
    return png_response(body, public=False)


def _public_volunteer(number: str):
    """404 alike for an unknown number and a private card: the answer leaks nothing."""
    volunteer = selectors.public_volunteer(number)
    if volunteer is None:
        raise Http404
    return volunteer


@require_GET
def card_page(request, number: str):
    volunteer = _public_volunteer(number)
    url = card_url(request, number)
    return render(
        request,
        "growth/card.html",
        {
            "card": selectors.card_of(volunteer),
            "card_url": url,
            "share": share_kind.card_target(volunteer),  # the share panel and its meta tags
            "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2),
        },
    )


@require_GET
def card_png(request, number: str):
    volunteer = _public_volunteer(number)
    try:
        body = card.png(selectors.card_of(volunteer), card_url(request, number))
    except FontMissing as error:
        return _no_font(error)
    return png_response(body, public=True)
