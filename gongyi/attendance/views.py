"""Pages of the attendance app: the leader's QR screen and roster, the volunteer's scan."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongyi import permissions
from gongyi.attendance import forms, selectors, services
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.views import run_service
from gongyi.projects.models import Shift
from gongyi.signups.models import Signup


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (no script, no style attribute: fine under our CSP)."""
    code = segno.make(url, error="m")
    return mark_safe(code.svg_inline(scale=1, omitsize=True, light="#fff", svgclass="att-qr-svg"))


def _direction(request) -> str:
    direction = request.GET.get("d", services.IN)
    return direction if direction in services.DIRECTIONS else services.IN


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


# --- leaders ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """The shifts the user runs, a week back and a week ahead."""
    now = timezone.now()
    shifts = list(selectors.shifts_to_run(user=request.user, now=now))
    for shift in shifts:
        shift.window = services.window_state(shift, now)
    return render(request, "attendance/index.html", {"shifts": shifts, "now": now})


def _rows(shift: Shift, now) -> list:
    rows = list(selectors.shift_signups(shift=shift))
    for signup in rows:
        _decorate(signup, now)
    return rows


def _decorate(signup, now) -> None:
    signup.att = selectors.attendance_of(signup)
    signup.served = selectors.served_minutes(signup.att) if signup.att else None
    signup.started = now >= signup.shift.starts_at


@login_required
@require_GET
def shift(request, shift_id: int):
    """The leader's check-in roster of one shift: states and actions."""
    shift = selectors.shift_for_leader(user=request.user, shift_id=shift_id)
    now = timezone.now()
    return render(
        request,
        "attendance/shift.html",
        {
            "shift": shift,
            "project": shift.project,
            "rows": _rows(shift, now),
            "counts": selectors.shift_counts(shift=shift),
            "window": services.window_state(shift, now),
            "policy": services.policy_for(shift.project),
            "can_set_policy": permissions.can_set_attendance_policy(request.user, shift.project),
            "form": forms.LeaderEntryForm(),
        },
    )


DONE = {
    "check_in": gettext_lazy("Checked in."),
    "check_out": gettext_lazy("Checked out."),
    "no_show": gettext_lazy("Marked as a no-show."),
}


@login_required
@require_POST
def leader_action(request, pk: int, action: str):
    """Check a volunteer in or out, or mark a no-show: always with a reason."""
    if action not in services.LEADER_ACTIONS:
        raise Http404
    signup = selectors.signup_for_leader(user=request.user, signup_id=pk)
    form = forms.LeaderEntryForm(request.POST)
    error = done = None
    if not form.is_valid():
        error = _("Please give a reason.") if "reason" in form.errors else _("Enter a valid time.")
    else:
        extra = {} if action == "no_show" else {"at": form.cleaned_data["at"]}
        try:
            services.LEADER_ACTIONS[action](
                actor=request.user, signup=signup, reason=form.cleaned_data["reason"], **extra
            )
            done = DONE[action]
        except NotAllowed:
            raise PermissionDenied from None
        except ServiceError as refusal:
            error = refusal.message
    if _is_htmx(request):
        signup = Signup.objects.select_related(
            "shift", "volunteer__user", "attendance__in_by", "attendance__out_by"
        ).get(pk=pk)
        _decorate(signup, timezone.now())
        return render(
            request,
            "attendance/_row.html",
            {"s": signup, "form": forms.LeaderEntryForm(), "error": error, "done": done},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("attendance:shift", signup.shift_id)


@login_required
@require_GET
def qr(request, shift_id: int):
    """The screen the leader shows: a QR code that changes every 30 seconds."""
    shift = selectors.shift_for_leader(user=request.user, shift_id=shift_id)
    context = _qr_context(request, shift, _direction(request))
    context.update(project=shift.project, policy=services.policy_for(shift.project))
    return render(request, "attendance/qr.html", context)


@login_required
@require_GET
def qr_code(request, shift_id: int):
    """The part of the screen htmx fetches again every 10 seconds."""
    shift = selectors.shift_for_leader(user=request.user, shift_id=shift_id)
    return render(request, "attendance/_qr.html", _qr_context(request, shift, _direction(request)))


def _qr_context(request, shift: Shift, direction: str) -> dict:
    now = timezone.now()
    token = services.qr_token(shift=shift, direction=direction, now=now)
    url = selectors.scan_url(request, token)
    return {
        "shift": shift,
        "direction": direction,
        "scan_url": url,
        "svg": qr_svg(url),
        "valid_until": services.window_ends(now),
        "counts": selectors.shift_counts(shift=shift),
        "window": services.window_state(shift, now),
    }


@login_required
@require_http_methods(["GET", "POST"])
def policy(request, project_id: int):
    """Whether the project checks people in on site, and within what radius."""
    project = selectors.project_for_manager(user=request.user, project_id=project_id)
    form = forms.PolicyForm(request.POST or None, instance=services.policy_for(project))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            services.set_policy,
            actor=request.user,
            project=project,
            geofence_required=form.cleaned_data["geofence_required"],
            radius_m=form.cleaned_data["radius_m"],
        )
        if done:
            messages.success(request, _("The check-in rules are saved."))
            return redirect("attendance:policy", project.pk)
    points = list(project.points.order_by("id")[:200])
    for point in points:
        point.effective_radius = services.radius_for(form.instance, point)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "attendance/policy.html",
        {"project": project, "form": form, "points": points},
        status=status,
    )


# --- volunteers ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scan(request):
    """Where the QR code leads: check in (or out) the logged-in volunteer."""
    now = timezone.now()
    token = (request.POST.get("t") if request.method == "POST" else request.GET.get("t")) or ""
    error = None
    if request.method == "POST":
        form = forms.ScanForm(request.POST)
        if not form.is_valid():
            error = (
                _("This location is not valid.")
                if "t" not in form.errors
                else _("This is not a valid check-in code. Scan the code on the leader's screen.")
            )
        else:
            data = form.cleaned_data
            try:
                attendance = services.scan(
                    user=request.user,
                    token=data["t"],
                    latitude=data["lat"],
                    longitude=data["lon"],
                    now=now,
                )
            except NotAllowed:
                raise PermissionDenied from None
            except ServiceError as refusal:
                error = refusal.message
            else:
                done = DONE["check_in" if attendance.checked_out_at is None else "check_out"]
                messages.success(request, done)
                return redirect("attendance:mine", attendance.signup_id)
    context = _scan_context(request, token[:200], now)
    if error:
        context["error"] = error
    context["auto"] = request.method == "GET" and not context.get("error")
    status = 400 if context.get("error") else 200
    return render(request, "attendance/scan.html", context, status=status)


def _scan_context(request, token: str, now) -> dict:
    """What the scan page shows about the code: its shift and direction, or why it fails."""
    context: dict = {"token": token}
    try:
        shift, direction = services.shift_for_token(token, now=now)
        context.update(shift=shift, direction=direction)
        context["policy"] = services.policy_for(shift.project)
        context["signup"] = services.signup_for_scan(user=request.user, shift_id=shift.pk)
    except ServiceError as refusal:
        context["error"] = refusal.message
    return context


@login_required
@require_GET
def mine(request, pk: int):
    """A volunteer's check-in record for one signup (also open to the project's leaders)."""
    signup = selectors.signup_for_viewer(user=request.user, signup_id=pk)
    attendance = selectors.attendance_of(signup)
    return render(
        request,
        "attendance/mine.html",
        {
            "signup": signup,
            "shift": signup.shift,
            "project": signup.shift.project,
            "att": attendance,
            "served": selectors.served_minutes(attendance) if attendance else None,
            "window": services.window_state(signup.shift),
            "own": signup.volunteer.user_id == request.user.pk,
        },
    )
