"""Pages of the hours ledger: my hours, a record, the leader's confirmation, disputes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongyi import permissions
from gongyi.accounts.selectors import volunteer_of
from gongyi.core.views import run_service
from gongyi.service import forms, selectors, services
from gongyi.service.ledger import hours
from gongyi.service.models import RecordDispute
from gongyi.signups.models import Signup


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Some fields are missing or invalid.")


# --- volunteers -------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    """My hours: every record with its hours, source and author; the total; my requests."""
    volunteer = volunteer_of(request.user)
    context = {"volunteer": volunteer}
    if volunteer is not None:
        total = selectors.total_minutes(volunteer)
        context.update(
            records=selectors.my_records(volunteer=volunteer)[:500],
            total_minutes=total,
            total_hours=hours(total),
            declarable=selectors.declarable_signups(volunteer=volunteer),
            declarations=selectors.my_declarations(volunteer=volunteer)[:50],
            disputes=selectors.my_disputes(volunteer=volunteer)[:50],
            declare_form=forms.DeclareForm(),
        )
    return render(request, "service/mine.html", context)


@login_required
@require_GET
def record(request, pk: int):
    record = selectors.record_for(user=request.user, record_id=pk)
    chain = selectors.chain_of(record)
    effective = chain[-1].pk == record.pk
    own = permissions.is_own_record(request.user, record)
    disputes = record.disputes.select_related("answered_by", "resolved_by").order_by("-created_at")
    return render(
        request,
        "service/record.html",
        {
            "record": record,
            "chain": chain,
            "effective": effective,
            "made_by": selectors.person_label(record.recorded_by),
            "can_reject": own and effective and record.minutes > 0,
            "can_dispute": own and effective and not any(d.is_unresolved for d in disputes),
            "can_correct": effective and permissions.can_correct_record(request.user, record),
            "disputes": disputes,
            "reason_form": forms.ReasonForm(),
            "dispute_form": forms.DisputeForm(),
            "correct_form": forms.CorrectForm(),
        },
    )


@login_required
@require_POST
def reject(request, pk: int):
    record = selectors.record_for(user=request.user, record_id=pk)
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return redirect("service:record", pk)
    correction = run_service(
        request,
        services.record_reject,
        actor=request.user,
        record=record,
        reason=form.cleaned_data["reason"],
    )
    if correction:
        messages.success(request, _("Rejected: the record now counts 0 hours."))
        return redirect("service:record", correction.pk)
    return redirect("service:record", pk)


@login_required
@require_POST
def dispute(request, pk: int):
    record = selectors.record_for(user=request.user, record_id=pk)
    form = forms.DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say what is wrong with the record."))
        return redirect("service:record", pk)
    opened = run_service(
        request,
        services.dispute_open,
        actor=request.user,
        record=record,
        reason=form.cleaned_data["reason"],
    )
    if opened:
        messages.success(request, _("Dispute sent: the organisation will answer."))
        return redirect("service:dispute", opened.pk)
    return redirect("service:record", pk)


@login_required
@require_POST
def declare(request, signup_id: int):
    signup = get_object_or_404(Signup.objects.select_related("volunteer"), pk=signup_id)
    permissions.require(permissions.can_declare_hours(request.user, signup))
    form = forms.DeclareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
    elif run_service(
        request,
        services.declare_hours,
        actor=request.user,
        signup=signup,
        minutes=form.cleaned_data["minutes"],
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("Declared: the hours count once the leader confirms them."))
    return redirect("service:mine")


# --- leaders: confirm a shift's hours and corrections -------------------------------------------


@login_required
@require_GET
def shift(request, shift_id: int):
    shift = selectors.shift_for_hours(user=request.user, shift_id=shift_id)
    review = selectors.shift_review(shift=shift)
    org = shift.project.organisation
    return render(
        request,
        "service/shift.html",
        {
            "shift": shift,
            "project": shift.project,
            "review": review,
            "ended": shift.ends_at <= timezone.now(),
            "can_confirm": not review.overdue
            or permissions.can_confirm_late_hours(request.user, org),
            "decide_form": forms.DecideDeclarationForm(),
            "shift_hours": hours(shift.minutes),
        },
    )


@login_required
@require_POST
def confirm(request, shift_id: int):
    shift = selectors.shift_for_hours(user=request.user, shift_id=shift_id)
    exclude = {}
    for raw in request.POST.getlist("exclude"):
        if raw.isdigit() and len(raw) < 19:
            exclude[int(raw)] = request.POST.get(f"reason_{raw}", "")[:300]
    result = run_service(
        request, services.confirm_shift_hours, actor=request.user, shift=shift, exclude=exclude
    )
    if result:
        messages.success(
            request,
            _("Confirmed: %(created)s records made, %(excluded)s left out.")
            % {"created": len(result.created), "excluded": len(result.excluded)},
        )
        if result.incomplete:
            messages.warning(
                request,
                _("%(n)s volunteers have not checked out: check them out or leave them out.")
                % {"n": len(result.incomplete)},
            )
    return redirect("service:shift", shift.pk)


@login_required
@require_POST
def decide_declaration(request, pk: int):
    declaration = selectors.declaration_for(user=request.user, declaration_id=pk)
    form = forms.DecideDeclarationForm(request.POST)
    shift_id = declaration.signup.shift_id
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("service:shift", shift_id)
    decided = run_service(
        request,
        services.decide_declaration,
        actor=request.user,
        declaration=declaration,
        accept=form.cleaned_data["accept"],
        minutes=form.cleaned_data["minutes"],
        reason=form.cleaned_data["reason"],
    )
    if decided:
        messages.success(
            request,
            _("Confirmed: the hours are recorded.")
            if decided.status == "confirmed"
            else _("Refused; the volunteer is told why."),
        )
    return redirect("service:shift", shift_id)


@login_required
@require_POST
def correct(request, pk: int):
    record = selectors.record_for(user=request.user, record_id=pk)
    permissions.require(permissions.can_correct_record(request.user, record))
    form = forms.CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return redirect("service:record", pk)
    correction = run_service(
        request,
        services.record_correct,
        actor=request.user,
        record=record,
        minutes=form.cleaned_data["minutes"],
        reason=form.cleaned_data["reason"],
    )
    if correction:
        messages.success(request, _("Corrected: a new entry replaces the old one."))
        return redirect("service:record", correction.pk)
    return redirect("service:record", pk)


@login_required
@require_GET
def awaiting(request):
    """Shifts whose hours wait for confirmation, overdue ones flagged and first."""
    permissions.require(permissions.handles_any_hours(request.user))
    orgs = selectors.orgs_for_hours(request.user)
    org = None
    raw = request.GET.get("org", "")
    if raw.isdigit() and len(raw) < 19:
        org = get_object_or_404(orgs, pk=int(raw))
    rows = selectors.awaiting_shifts(user=request.user, org=org)
    return render(
        request,
        "service/awaiting.html",
        {
            "rows": rows,
            "org": org,
            "orgs": orgs[:200],
            "overdue_count": sum(r.overdue for r in rows),
        },
    )


# --- disputes -----------------------------------------------------------------------------------


@login_required
@require_GET
def disputes(request):
    permissions.require(permissions.handles_any_hours(request.user))
    status = request.GET.get("status", "")
    if status not in RecordDispute.Status.values:
        status = ""
    rows = selectors.disputes_to_handle(user=request.user, status=status or None)[:200]
    return render(
        request,
        "service/disputes.html",
        {"disputes": rows, "status": status, "statuses": RecordDispute.Status.choices},
    )


@login_required
@require_GET
def dispute_detail(request, pk: int):
    dispute = selectors.dispute_for(user=request.user, dispute_id=pk)
    user = request.user
    unresolved = dispute.is_unresolved
    own = permissions.is_own_record(user, dispute.record)
    return render(
        request,
        "service/dispute.html",
        {
            "dispute": dispute,
            "record": dispute.record,
            "head": selectors.head_of(dispute.record),
            "deadline": selectors.dispute_deadline(dispute),
            "can_answer": dispute.status == "open"
            and permissions.can_answer_dispute(user, dispute),
            "can_resolve": unresolved and permissions.can_resolve_dispute(user, dispute),
            # The district admin resolves directly; the others may hand it over.
            "can_escalate": dispute.status in ("open", "answered")
            and permissions.can_escalate_dispute(user, dispute)
            and not permissions.can_resolve_dispute(user, dispute),
            "can_accept": own and dispute.status == "answered",
            "answer_form": forms.AnswerForm(),
            "resolve_form": forms.ResolveForm(),
            "escalate_form": forms.EscalateForm(),
        },
    )


def _dispute_action(request, pk: int, form_class, call, success: str, **fixed):
    dispute = selectors.dispute_for(user=request.user, dispute_id=pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _first_error(form))
            return redirect("service:dispute", pk)
        data = form.cleaned_data
    if run_service(request, call, actor=request.user, dispute=dispute, **data, **fixed):
        messages.success(request, success)
    return redirect("service:dispute", pk)


@login_required
@require_POST
def dispute_answer(request, pk: int):
    return _dispute_action(
        request, pk, forms.AnswerForm, services.dispute_answer, _("Answer sent to the volunteer.")
    )


@login_required
@require_POST
def dispute_escalate(request, pk: int):
    return _dispute_action(
        request,
        pk,
        forms.EscalateForm,
        services.dispute_escalate,
        _("The dispute is with the district admin now."),
    )


@login_required
@require_POST
def dispute_resolve(request, pk: int):
    return _dispute_action(
        request, pk, forms.ResolveForm, services.dispute_resolve, _("The dispute is resolved.")
    )


@login_required
@require_POST
def dispute_accept(request, pk: int):
    return _dispute_action(
        request, pk, None, services.dispute_accept, _("Thank you: the dispute is resolved.")
    )
