"""Pages of the orgs app: thin wrappers that parse, ask permissions, call services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongyi import permissions
from gongyi.core.errors import ServiceError
from gongyi.core.views import run_service
from gongyi.orgs import forms, selectors, services
from gongyi.orgs.models import Membership, Organisation
from gongyi.sites.current import scoped_query

# --- public ---------------------------------------------------------------------------------


def org_list(request):
    # On a district site, the site's district unless the visitor chose one (or all).
    form = forms.ListFilterForm(scoped_query(request) or None)
    form.is_valid()  # invalid filters are ignored, the valid ones still apply
    data = getattr(form, "cleaned_data", {})
    district = data.get("district")
    orgs = selectors.public_orgs(
        district_id=district.pk if district else None,
        kind=data.get("kind") or "",
        q=(data.get("q") or "").strip(),
    )
    page = Paginator(orgs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orgs/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # The host too: a district site lists its own district by default (gongyi.sites).
            "cache_key": ":".join(
                (str(selectors.list_version()), request.get_host(), request.get_full_path())
            ),
        },
    )


def org_detail(request, pk: int):
    org = selectors.visible_org(user=request.user, pk=pk)
    user = request.user
    membership = selectors.live_membership(org=org, user=user)
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "membership": membership,
            "can_see_private": permissions.can_see_org_private(user, org),
            "can_manage": permissions.can_manage_org(user, org),
            "can_review": permissions.can_review_org(user, org),
            "can_see_members": permissions.can_see_org_members(user, org),
            "join_form": forms.JoinForm() if org.can_publish and membership is None else None,
            "review_form": forms.ReviewForm(),
        },
    )


# --- registration, editing, review ----------------------------------------------------------


@login_required
def org_register(request):
    permissions.require(permissions.can_register_org(request.user))
    form = forms.OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_register(
                actor=request.user, logo=form.cleaned_data.get("logo"), **form.service_fields()
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request, _("Thank you. Your application waits for the district's verification.")
            )
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": None})


@login_required
def org_edit(request, pk: int):
    org = get_object_or_404(Organisation.objects.select_related("district"), pk=pk)
    permissions.require(permissions.can_manage_org(request.user, org))
    form = forms.OrganisationForm(request.POST or None, request.FILES or None, org=org)
    if request.method == "POST" and form.is_valid():
        was = org.status
        try:
            org = services.org_update(
                actor=request.user,
                org=org,
                logo=form.cleaned_data.get("logo"),
                **form.service_fields(),
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if org.status == Organisation.Status.PENDING and was != org.status:
                messages.success(request, _("Saved and sent to the district for verification."))
            else:
                messages.success(request, _("Saved."))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org})


@login_required
def review_queue(request):
    user = request.user
    permissions.require(permissions.is_district_admin(user) or permissions.is_city_admin(user))
    orgs = Paginator(selectors.review_queue(user=user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "orgs/review_queue.html", {"page": orgs, "review_form": forms.ReviewForm()}
    )


@login_required
@require_POST
def org_review(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    permissions.require(permissions.can_review_org(request.user, org))
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("orgs:review_queue")
    approve = form.cleaned_data["decision"] == "approve"
    done = run_service(
        request,
        services.org_review,
        actor=request.user,
        org=org,
        approve=approve,
        reason=form.cleaned_data["reason"],
    )
    if done:
        text = _("%(name)s is verified.") if approve else _("%(name)s is rejected.")
        messages.success(request, text % {"name": org.name})
    return redirect("orgs:review_queue")


# --- members --------------------------------------------------------------------------------


@login_required
def my_orgs(request):
    return render(
        request,
        "orgs/mine.html",
        {"memberships": selectors.my_memberships(user=request.user)},
    )


@login_required
def members(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    user = request.user
    permissions.require(permissions.can_see_org_members(user, org))
    can_manage = permissions.can_manage_org(user, org)
    invite_form = forms.InviteForm(request.POST or None)
    if request.method == "POST":
        permissions.require(can_manage)
        if invite_form.is_valid():
            try:
                services.membership_invite(actor=user, org=org, **invite_form.cleaned_data)
            except ServiceError as error:
                field = error.field if error.field in invite_form.fields else None
                invite_form.add_error(field, error.message)
            else:
                messages.success(request, _("Invitation sent."))
                return redirect("orgs:members", pk=org.pk)
    groups = selectors.org_memberships(org=org)
    for rows in groups.values():
        for row in rows:
            row.label = selectors.member_label(row)
    return render(
        request,
        "orgs/members.html",
        {
            "org": org,
            "groups": groups,
            "can_manage": can_manage,
            "show_phones": permissions.can_see_member_phones(user, org),
            "invite_form": invite_form if can_manage else None,
            "role_choices": Membership.Role.choices,
            "my_membership": selectors.live_membership(org=org, user=user),
        },
    )


@login_required
@require_POST
def join(request, pk: int):
    org = selectors.visible_org(user=request.user, pk=pk)
    form = forms.JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The message may be at most 200 characters."))
    elif run_service(
        request,
        services.membership_request,
        actor=request.user,
        org=org,
        message=form.cleaned_data["message"],
    ):
        messages.success(request, _("Your request was sent to the organisation."))
    return redirect("orgs:detail", pk=org.pk)


@login_required
@require_POST
def leave(request, pk: int):
    org = get_object_or_404(Organisation, pk=pk)
    if run_service(request, services.membership_leave, actor=request.user, org=org):
        messages.success(request, _("You left %(name)s.") % {"name": org.name})
    return redirect("orgs:mine")


@login_required
@require_POST
def answer_invitation(request, pk: int):
    membership = selectors.get_membership(pk)
    if membership.user_id != request.user.pk:
        raise PermissionDenied
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
    else:
        accept = form.cleaned_data["answer"] == "accept"
        if run_service(
            request,
            services.membership_answer_invitation,
            actor=request.user,
            membership=membership,
            accept=accept,
        ):
            messages.success(request, _("Welcome aboard.") if accept else _("Invitation declined."))
    return redirect("orgs:mine")


def _managed_membership(request, pk: int) -> Membership:
    membership = selectors.get_membership(pk)
    permissions.require(permissions.can_decide_membership(request.user, membership))
    return membership


def _back_to_members(membership: Membership):
    return redirect(reverse("orgs:members", args=[membership.organisation_id]))


@login_required
@require_POST
def decide_request(request, pk: int):
    membership = _managed_membership(request, pk)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return _back_to_members(membership)
    approve = form.cleaned_data["decision"] == "approve"
    if run_service(
        request,
        services.membership_decide,
        actor=request.user,
        membership=membership,
        approve=approve,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("Request approved.") if approve else _("Request rejected."))
    return _back_to_members(membership)


@login_required
@require_POST
def change_role(request, pk: int):
    membership = _managed_membership(request, pk)
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
    elif run_service(
        request,
        services.membership_change_role,
        actor=request.user,
        membership=membership,
        role=form.cleaned_data["role"],
    ):
        messages.success(request, _("Role changed."))
    return _back_to_members(membership)


@login_required
@require_POST
def remove_member(request, pk: int):
    membership = _managed_membership(request, pk)
    if run_service(request, services.membership_remove, actor=request.user, membership=membership):
        messages.success(request, _("Removed."))
    return _back_to_members(membership)
