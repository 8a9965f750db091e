"""Pages of the signups app: one-click signup, my signups, the organiser console, draws."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gongyi import permissions
from gongyi.accounts.models import Volunteer
from gongyi.core.errors import ServiceError
from gongyi.core.views import run_service
from gongyi.signups import api, forms, selectors, services
from gongyi.signups.models import Signup


def _back(request, fallback: str):
    """Back to the page the form was on, if it is ours; else the fallback."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


# --- volunteers -----------------------------------------------------------------------------


OUTCOME_MESSAGES = {
    "confirmed": gettext_lazy("You are signed up. See you there!"),
    "waitlisted": gettext_lazy("The shift is full: you are on the waitlist and will be told."),
    "pending": gettext_lazy("Signup received: waiting for the organiser's approval."),
}


@require_POST
def create(request, shift_id: int):
    """One click: sign up for the shift. htmx gets a small partial, others a redirect."""
    shift = selectors.shift_to_sign_up(shift_id)
    back = shift.project.get_absolute_url()
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    signup, error = None, None
    try:
        volunteer = services.volunteer_of(request.user)
        key = request.POST.get("idempotency_key") or request.headers.get("Idempotency-Key")
        signup = services.signup_create(volunteer=volunteer, shift=shift, idempotency_key=key)
    except ServiceError as refusal:
        error = refusal
    if request.headers.get("HX-Request"):
        return render(
            request,
            "signups/_outcome.html",
            {"signup": signup, "error": error, "shift": shift},
            status=200 if signup else 400,
        )
    if signup:
        messages.success(request, OUTCOME_MESSAGES[signup.status])
    else:
        messages.error(request, error.message)
        if error.code == "not_volunteer":
            register = reverse("accounts:register_volunteer")
            return redirect(f"{register}?{urlencode({'next': back})}")
    return redirect(back)


@login_required
@require_GET
def mine(request):
    volunteer = Volunteer.objects.filter(user=request.user).first()
    upcoming, past = ([], [])
    if volunteer is not None:
        upcoming, past = selectors.split_upcoming(selectors.my_signups(volunteer=volunteer))
    return render(
        request,
        "signups/mine.html",
        {"volunteer": volunteer, "upcoming": upcoming, "past": past},
    )


@login_required
@require_POST
def cancel(request, pk: int):
    signup = get_object_or_404(Signup.objects.select_related("shift__project", "volunteer"), pk=pk)
    reason = request.POST.get("reason", "")[:300]
    if run_service(
        request, services.signup_cancel, actor=request.user, signup=signup, reason=reason
    ):
        messages.success(request, _("The signup is cancelled."))
    return _back(request, reverse("signups:mine"))


# --- organiser console ----------------------------------------------------------------------


@login_required
@require_GET
def console(request):
    projects = selectors.organiser_projects(user=request.user)
    return render(request, "signups/console.html", {"projects": projects})


@login_required
@require_GET
def roster(request, shift_id: int):
    shift = selectors.shift_for_roster(user=request.user, shift_id=shift_id)
    project = shift.project
    others = project.shifts.exclude(pk=shift.pk).select_related("point").order_by("starts_at")
    return render(
        request,
        "signups/roster.html",
        {
            "shift": shift,
            "project": project,
            "signups": selectors.roster(shift=shift),
            "other_shifts": others,
            "can_manage": permissions.can_change_capacity(request.user, project),
            "capacity_form": forms.CapacityForm(initial={"capacity": shift.capacity}),
            "reject_form": forms.ReasonForm(),
            "now": timezone.now(),
        },
    )


def _signup_for_organiser(request, pk: int) -> Signup:
    signup = get_object_or_404(
        Signup.objects.select_related("shift__project__organisation", "volunteer"), pk=pk
    )
    permissions.require(permissions.can_decide_signups(request.user, signup.shift.project))
    return signup


def _to_roster(signup: Signup):
    return redirect("signups:roster", signup.shift_id)


@login_required
@require_POST
def approve(request, pk: int):
    signup = _signup_for_organiser(request, pk)
    if run_service(request, services.signup_approve, actor=request.user, signup=signup):
        messages.success(request, _("Approved."))
    return _to_roster(signup)


@login_required
@require_POST
def reject(request, pk: int):
    signup = _signup_for_organiser(request, pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return _to_roster(signup)
    reason = form.cleaned_data["reason"]
    if run_service(
        request, services.signup_reject, actor=request.user, signup=signup, reason=reason
    ):
        messages.success(request, _("Rejected; the volunteer is told why."))
    return _to_roster(signup)


@login_required
@require_POST
def move(request, pk: int):
    signup = _signup_for_organiser(request, pk)
    form = forms.MoveForm(request.POST, project=signup.shift.project)
    if not form.is_valid():
        messages.error(request, _("Choose another shift of the same project."))
        return _to_roster(signup)
    target = form.cleaned_data["shift"]
    if run_service(request, services.signup_move, actor=request.user, signup=signup, target=target):
        messages.success(request, _("Moved to the other shift."))
    return _to_roster(signup)


@login_required
@require_POST
def capacity(request, shift_id: int):
    shift = selectors.shift_for_roster(user=request.user, shift_id=shift_id)
    permissions.require(permissions.can_change_capacity(request.user, shift.project))
    form = forms.CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a whole number of places, or leave it empty."))
    elif run_service(
        request,
        services.change_capacity,
        actor=request.user,
        shift=shift,
        capacity=form.cleaned_data["capacity"],
    ):
        messages.success(request, _("Places changed."))
    return redirect("signups:roster", shift.pk)


@login_required
@require_GET
def roster_export(request, project_id: int):
    project = selectors.project_for_organiser(user=request.user, project_id=project_id)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return api.export_response(project, fmt)


@login_required
@require_POST
def project_cancel(request, project_id: int):
    project = selectors.project_for_organiser(user=request.user, project_id=project_id)
    form = forms.ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if run_service(
        request, services.project_cancel, actor=request.user, project=project, reason=reason
    ):
        messages.success(request, _("The project is cancelled; everyone signed up is told."))
    return redirect("signups:console")


@login_required
@require_POST
def run_draw(request, project_id: int):
    project = selectors.project_for_organiser(user=request.user, project_id=project_id)
    permissions.require(permissions.can_change_capacity(request.user, project))
    if run_service(request, services.draw_lottery, project=project):
        messages.success(request, _("The draw is done and published."))
    return redirect("signups:draw", project.number)


# --- public ---------------------------------------------------------------------------------


@require_GET
def draw(request, number: str):
    project, lottery = selectors.draw_for(number=number)
    table = selectors.draw_table(lottery) if lottery else []
    return render(
        request,
        "signups/draw.html",
        {"project": project, "draw": lottery, "table": table},
    )
