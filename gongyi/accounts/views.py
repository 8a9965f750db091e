"""Account pages: thin wrappers that parse a form, call a service and render."""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongyi.accounts import forms, selectors, services
from gongyi.accounts.backends import client_ip
from gongyi.accounts.choices import DAY_PERIODS, WEEKDAYS, category_label
from gongyi.core.errors import ServiceError

SESSION_PHONE = "accounts_code_phone"  # the number a code was just sent to, to prefill forms


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else default


@require_POST
def send_code(request):
    """Text a code, then go back to the sign-up or reset page with the number filled in."""
    form = forms.SendCodeForm(request.POST)
    purpose = request.POST.get("purpose")
    back = "accounts:password_reset" if purpose == "reset" else "accounts:signup"
    if not form.is_valid():
        messages.error(request, _("Please enter an 11-digit mainland mobile number."))
        return redirect(back)
    phone = form.cleaned_data["phone"]
    request.session[SESSION_PHONE] = phone
    try:
        services.send_code(phone=phone, purpose=purpose, ip=client_ip(request))
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("If the number can receive it, a code is on its way."))
    return redirect(back)


def _code_form_page(request, form_class, template: str, do):
    """Sign-up and reset share their shape: phone + code + new password, then `do`."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                return do(data["phone"], data["code"], data["password1"])
            except ServiceError as exc:
                form.add_service_error(exc)
    else:
        form = form_class(initial={"phone": request.session.get(SESSION_PHONE, "")})
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:me")

    def do(phone, code, password):
        user = services.signup(phone=phone, code=code, password=password)
        login(request, user)
        request.session.pop(SESSION_PHONE, None)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect(_next_url(request, reverse_lazy("accounts:me")))

    return _code_form_page(request, forms.SignupForm, "accounts/signup.html", do)


def password_reset(request):
    def do(phone, code, password):
        services.reset_password(phone=phone, code=code, password=password)
        request.session.pop(SESSION_PHONE, None)
        messages.success(request, _("Your password has been changed. Please log in."))
        return redirect("accounts:login")

    return _code_form_page(request, forms.PasswordResetForm, "accounts/password_reset.html", do)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:me")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.note_password_changed(user=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def me(request):
    volunteer = selectors.volunteer_of(request.user)
    context = {"volunteer": volunteer, "periods": DAY_PERIODS}
    if volunteer is not None:
        context |= {
            "home_region": selectors.region_path(volunteer.home_region),
            "interests": [category_label(c) for c in volunteer.interests],
            "availability": _availability_rows(volunteer.availability),
        }
    return render(request, "accounts/me.html", context)


def _availability_rows(slots) -> list[tuple[str, list[bool]]]:
    return [(label, [f"{day}-{p}" in slots for p, _l in DAY_PERIODS]) for day, label in WEEKDAYS]


@login_required
def register_volunteer(request):
    if selectors.volunteer_of(request.user) is not None:
        messages.info(request, _("You are already registered as a volunteer."))
        return redirect("accounts:me")
    form = forms.VolunteerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_volunteer(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("You are now a registered volunteer. Thank you!"))
            return redirect("accounts:profile_edit")
    status = 400 if form.errors else 200
    return render(request, "accounts/register_volunteer.html", {"form": form}, status=status)


@login_required
def profile_edit(request):
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        messages.info(request, _("Please register as a volunteer first."))
        return redirect("accounts:register_volunteer")
    if request.method == "POST":
        form = forms.ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["photo"] = data["photo"] or services.UNSET
            try:
                services.update_profile(volunteer=volunteer, **data)
            except ServiceError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:me")
    else:
        form = forms.ProfileForm(initial=forms.ProfileForm.initial_for(volunteer))
    context = {"form": form, "volunteer": volunteer, "periods": DAY_PERIODS}
    return render(
        request, "accounts/profile_edit.html", context, status=400 if form.errors else 200
    )


@login_required
def export(request):
    data = selectors.export_personal_data(viewer=request.user, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"gongyi-my-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close(request):
    form = forms.CloseAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_account(user=request.user, password=form.cleaned_data["password"])
        except ServiceError as exc:
            form.add_service_error(exc)
        else:
            logout(request)
            messages.success(request, _("Your account has been closed."))
            return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "accounts/close.html", {"form": form}, status=status)
