"""Pages of the projects app: the finder, a project's page, and the organiser's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongyi import permissions
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.page_cache import public_page_cache, shared_key
from gongyi.core.views import run_service
from gongyi.orgs.models import Organisation
from gongyi.projects import forms, selectors, services
from gongyi.projects.models import Project
from gongyi.sharing.project_kind import project_target

# Cancelling ends signups, so the service lives in signups; the project's pages offer it too.
from gongyi.signups.services import project_cancel as cancel_with_signups
from gongyi.sites.current import scoped_query

LIST_CACHE_SECONDS = 5
POINTS_SHOWN = 100  # on a project's page; the others are counted
MORE_FILTERS = (
    "beneficiary",
    "mode",
    "date_from",
    "date_to",
    "time_of_day",
    "weekday",
    "places_left",
)


def _run_for_form(form, call, **kwargs):
    """Run a service for a form page: a refusal is shown on the form (on its field when it
    names one) or is a 403; success gives the service's value, a refusal None."""
    try:
        return call(**kwargs)
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


# --- public ---------------------------------------------------------------------------------


def _results_html(request, form) -> str:
    filters = form.filters()
    projects = selectors.public_projects(filters)
    page = Paginator(projects, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    for project in page:
        project.distance_km = selectors.distance_km(project)
    query = request.GET.copy()
    query.pop("page", None)
    return render_to_string(
        "projects/_results.html", {"page": page, "query": query.urlencode()}, request=request
    )


@public_page_cache(LIST_CACHE_SECONDS, version=selectors.list_version)
def project_list(request):
    # On a district site, the site's district unless the visitor chose one (or all).
    form = forms.ListFilterForm(scoped_query(request) or None)
    # The result list is the same for everybody (public data, masked), signed in or not:
    # cache it a few seconds, keyed by the full query and a version that every publish bumps.
    key = shared_key(request, "projects:list", selectors.list_version())
    results = cache.get(key)
    if results is None:
        results = _results_html(request, form)
        cache.set(key, results, LIST_CACHE_SECONDS)
    # On a phone the rarer filters stay folded unless one of them is in use.
    more_open = any(request.GET.get(name) for name in MORE_FILTERS)
    context = {"form": form, "results": mark_safe(results), "more_open": more_open}
    return render(request, "projects/list.html", context)


def project_detail(request, number: str):
    project = selectors.visible_project(user=request.user, number=number)
    private = permissions.can_see_project_private(request.user, project)
    points = list(selectors.points(project)[:POINTS_SHOWN])
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "private": private,
            "can_manage": permissions.can_manage_project(request.user, project),
            "points": points,
            "point_count": project.points.count() if len(points) == POINTS_SHOWN else len(points),
            "shifts": selectors.upcoming_shifts(project),
            "beneficiaries": list(project.beneficiaries.all()),
            "share": project_target(project),  # the share panel and its meta tags
            "open_for_signup": project.public_status() == "recruiting",
        },
    )


# --- organisers -----------------------------------------------------------------------------


@login_required
def my_projects(request):
    page = Paginator(selectors.my_projects(user=request.user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    orgs = list(selectors.publishing_orgs(user=request.user))
    return render(request, "projects/mine.html", {"page": page, "orgs": orgs})


def _managed(request, number: str) -> Project:
    project = selectors.project_by_number(number)
    permissions.require(permissions.can_manage_project(request.user, project))
    return project


@login_required
def project_create(request, org_id: int):
    org = (
        Organisation.objects.select_related("district")
        .filter(pk=selectors.check_pk(org_id))
        .first()
    )
    if org is None:
        raise Http404
    permissions.require(permissions.can_publish_for_org(request.user, org))
    form = forms.ProjectForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "district": org.district_id,
            "contact_name": org.contact_name,
            "contact_phone": org.contact_phone,
        },
        team_search=_team_search(request, org.district_id),
    )
    if request.method == "POST" and form.is_valid():
        project = _run_for_form(
            form,
            services.project_create,
            actor=request.user,
            org=org,
            cover=form.cleaned_data.get("cover"),
            **form.service_fields(),
        )
        if project is not None:
            messages.success(
                request, _("Saved as a draft. Add service points and shifts, then publish.")
            )
            return redirect("projects:points", number=project.number)
    return render(request, "projects/form.html", {"form": form, "org": org, "project": None})


def _team_search(request, district_id: int, chosen=()) -> forms.TeamSearchForm | None:
    """The team picker's search without JavaScript: `?team_q=` on the form page itself."""
    query = request.GET.get("team_q", "") if request.method == "GET" else ""
    if not query.strip():
        return None
    data = {"team_q": query, "district": district_id, "teams_only": [t.pk for t in chosen]}
    return forms.TeamSearchForm(data)


@login_required
def project_edit(request, number: str):
    project = _managed(request, number)
    initial = forms.ProjectForm.initial_for(project)
    form = forms.ProjectForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        team_search=_team_search(request, project.district_id, initial["teams_only"]),
    )
    finished = project.is_finished  # shown as such; the service refuses edits anyway
    if (
        request.method == "POST"
        and not finished
        and form.is_valid()
        and _run_for_form(
            form,
            services.project_update,
            actor=request.user,
            project=project,
            cover=form.cleaned_data.get("cover"),
            **form.service_fields(),
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("projects:detail", number=project.number)
    can_cancel = not finished and permissions.can_change_capacity(request.user, project)
    return render(
        request,
        "projects/form.html",
        {
            "form": form,
            "org": project.organisation,
            "project": project,
            "finished": finished,
            "can_cancel": can_cancel,
        },
    )


@login_required
def project_cancel(request, number: str):
    """Cancel the project (a confirmation page with a required reason); everyone is told."""
    project = _managed(request, number)
    permissions.require(permissions.can_change_capacity(request.user, project))
    form = forms.CancelProjectForm(request.POST or None)
    if (
        request.method == "POST"
        and not project.is_finished
        and form.is_valid()
        and _run_for_form(
            form,
            cancel_with_signups,
            actor=request.user,
            project=project,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("The project is cancelled; everyone signed up is told."))
        return redirect("projects:detail", number=project.number)
    taken = project.shifts.aggregate(taken=Sum("taken"))["taken"] or 0
    return render(
        request, "projects/cancel.html", {"project": project, "form": form, "taken": taken}
    )


# --- the team-only picker (htmx) --------------------------------------------------------------


@login_required
@require_GET
def team_search(request):
    """Verified teams whose name holds `team_q` (the project's district first), as <li>s."""
    permissions.require(permissions.can_search_project_teams(request.user))
    hits, more = forms.TeamSearchForm(request.GET).hits()
    context = {
        "hits": hits,
        "more": more,
        "query": request.GET.get("team_q", "").strip(),
        "pick_url": reverse("projects:team_pick"),
    }
    return render(request, "projects/_team_hits.html", context)


@login_required
@require_GET
def team_pick(request):
    """One team ticked in the picker's hits: its line for the chosen list; the hit goes."""
    permissions.require(permissions.can_search_project_teams(request.user))
    form = forms.TeamPickForm(request.GET)
    if not form.is_valid():
        raise Http404
    return render(request, "projects/_team_picked.html", {"team": form.cleaned_data["team"]})


@login_required
@require_POST
def project_publish(request, number: str):
    project = _managed(request, number)
    if run_service(request, services.project_publish, actor=request.user, project=project):
        messages.success(request, _("Published."))
    return redirect("projects:detail", number=project.number)


@login_required
@require_POST
def project_close(request, number: str):
    project = _managed(request, number)
    if run_service(request, services.project_close, actor=request.user, project=project):
        messages.success(request, _("The project is concluded."))
    return redirect("projects:detail", number=project.number)


@login_required
def project_points(request, number: str):
    project = _managed(request, number)
    action = request.POST.get("action")
    form = forms.PointForm(request.POST if action == "add" else None)
    importing = action == "import"
    import_form = forms.PointsImportForm(
        request.POST if importing else None, request.FILES if importing else None
    )
    if form.is_bound and form.is_valid():
        added = _run_for_form(
            form, services.point_create, actor=request.user, project=project, **form.cleaned_data
        )
        if added:
            messages.success(request, _("Service point added."))
            return redirect("projects:points", number=number)
    elif import_form.is_bound and import_form.is_valid():

        def import_points():
            rows = services.parse_points_csv(import_form.text())
            return services.points_import(actor=request.user, project=project, rows=rows)

        count = _run_for_form(import_form, import_points)
        if count:
            messages.success(request, _("%(count)d service points added.") % {"count": count})
            return redirect("projects:points", number=number)
    page = Paginator(selectors.points(project), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/points.html",
        {"project": project, "form": form, "import_form": import_form, "page": page},
    )


@login_required
def point_edit(request, pk: int):
    point = selectors.point_of(pk)
    permissions.require(permissions.can_manage_project(request.user, point.project))
    form = forms.PointForm(request.POST or None, initial=forms.PointForm.initial_for(point))
    if (
        request.method == "POST"
        and form.is_valid()
        and _run_for_form(
            form, services.point_update, actor=request.user, point=point, **form.cleaned_data
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("projects:points", number=point.project.number)
    return render(
        request,
        "projects/item_form.html",
        {"form": form, "project": point.project, "title": _("Edit service point")},
    )


@login_required
@require_POST
def point_delete(request, pk: int):
    point = selectors.point_of(pk)
    permissions.require(permissions.can_manage_project(request.user, point.project))
    if run_service(request, services.point_delete, actor=request.user, point=point):
        messages.success(request, _("Service point removed."))
    return redirect("projects:points", number=point.project.number)


@login_required
def project_shifts(request, number: str):
    project = _managed(request, number)
    action = request.POST.get("action")
    form = forms.ShiftForm(request.POST if action == "add" else None, project=project)
    bulk_form = forms.BulkShiftsForm(request.POST if action == "bulk" else None, project=project)
    if form.is_bound and form.is_valid():
        added = _run_for_form(
            form, services.shift_create, actor=request.user, project=project, **form.cleaned_data
        )
        if added:
            messages.success(request, _("Shift added."))
            return redirect("projects:shifts", number=number)
    elif bulk_form.is_bound and bulk_form.is_valid():
        created = _run_for_form(
            bulk_form,
            services.shifts_create_repeating,
            actor=request.user,
            project=project,
            **bulk_form.cleaned_data,
        )
        if created:
            messages.success(request, _("%(count)d shifts added.") % {"count": len(created)})
            return redirect("projects:shifts", number=number)
    page = Paginator(selectors.all_shifts(project), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/shifts.html",
        {"project": project, "form": form, "bulk_form": bulk_form, "page": page},
    )


@login_required
def shift_edit(request, pk: int):
    shift = selectors.shift_of(pk)
    project = shift.project
    permissions.require(permissions.can_manage_project(request.user, project))
    initial = forms.ShiftForm.initial_for(shift)
    form = forms.ShiftForm(request.POST or None, project=project, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _run_for_form(
            form, services.shift_update, actor=request.user, shift=shift, **form.cleaned_data
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("projects:shifts", number=project.number)
    return render(
        request,
        "projects/item_form.html",
        {"form": form, "project": project, "title": _("Edit shift")},
    )


@login_required
@require_POST
def shift_delete(request, pk: int):
    shift = selectors.shift_of(pk)
    permissions.require(permissions.can_manage_project(request.user, shift.project))
    if run_service(request, services.shift_delete, actor=request.user, shift=shift):
        messages.success(request, _("Shift removed."))
    return redirect("projects:shifts", number=shift.project.number)
