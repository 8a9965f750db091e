"""Pages of public-welfare bases (公益基地): the public list, applying, and the district
admin's naming and revoking. Thin: the services in `orgs.bases` decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gongyi import permissions
from gongyi.core.views import run_service
from gongyi.orgs import bases, selectors
from gongyi.orgs.forms import ApplyForm, DecisionForm, RevokeForm
from gongyi.orgs.models import BaseDesignation, Organisation


def base_list(request):
    district = selectors.district_by_code(request.GET.get("district"))
    found = selectors.bases(district_id=district.pk if district else None)
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/bases.html", {"page": page, "district": district})


@login_required
def base_apply(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    permissions.require(permissions.can_manage_org(request.user, org))
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            request,
            bases.base_apply,
            actor=request.user,
            org=org,
            statement=form.cleaned_data["statement"],
        )
        if done:
            messages.success(request, _("Your application has gone to the district."))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/base_apply.html", {"org": org, "form": form})


@login_required
def base_queue(request):
    user = request.user
    permissions.require(permissions.is_district_admin(user) or permissions.is_city_admin(user))
    page = Paginator(selectors.base_queue(user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "decision_form": DecisionForm(), "revoke_form": RevokeForm()}
    return render(request, "orgs/base_queue.html", context)


@login_required
@require_POST
def base_decide(request, pk: int):
    designation = get_object_or_404(BaseDesignation, pk=pk)
    permissions.require(permissions.can_review_org(request.user, designation.organisation))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to name it a base or to refuse."))
        return redirect("orgs:base_queue")
    done = run_service(
        request,
        bases.base_decide,
        actor=request.user,
        designation=designation,
        name=form.cleaned_data["decision"] == "name",
        reason=form.cleaned_data["reason"],
    )
    if done:
        messages.success(request, _("Decision saved."))
    return redirect("orgs:base_queue")


@login_required
@require_POST
def base_revoke(request, pk: int):
    designation = get_object_or_404(BaseDesignation, pk=pk)
    permissions.require(permissions.can_review_org(request.user, designation.organisation))
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the naming is revoked."))
        return redirect("orgs:base_queue")
    done = run_service(
        request,
        bases.base_revoke,
        actor=request.user,
        designation=designation,
        reason=form.cleaned_data["reason"],
    )
    if done:
        messages.success(request, _("The naming is revoked."))
    return redirect("orgs:base_queue")
