"""Pages of the sites app: the public directory, each site's theme stylesheet, and the
management pages (city admins: everything; district admins: their own site's look)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongyi import permissions
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.page_cache import public_page_cache
from gongyi.sites import forms, selectors, services

DIRECTORY_SECONDS = 60
# The stylesheet's address carries `?v=<updated_at>`, so a change is a new address: browsers
# may keep each version for a day and still see a change at once.
THEME_CACHE_CONTROL = "public, max-age=86400"


# --- public ---------------------------------------------------------------------------------


@require_GET
@public_page_cache(DIRECTORY_SECONDS, version=selectors.sites_version)
def directory(request):
    sites = list(selectors.active_sites())
    for site in sites:
        site.url = selectors.site_url(site, request)
    can_manage = request.user.is_authenticated and permissions.can_see_site_admin(request.user)
    return render(request, "sites/directory.html", {"sites": sites, "can_manage": can_manage})


@require_GET
def theme(request, slug: str):
    """The site's colours as CSS custom properties, and the rules the base template's header,
    logo and the home page's banner use. No query: the site comes from the look-up map, and
    the ETag from the site's last change (every change moves `updated_at` on)."""
    site = selectors.request_site_map(request).for_slug(slug)
    if site is None:
        raise Http404
    etag = f'"{site.pk}-{site.theme_version}"'
    # Rendered without the request: no context processor has anything to add to a stylesheet.
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        render_to_string("sites/theme.css", {"site": site}), content_type="text/css; charset=utf-8"
    )
    response["ETag"] = etag
    response["Cache-Control"] = THEME_CACHE_CONTROL
    return response


# --- management -----------------------------------------------------------------------------


def _run_for_form(form, call, **kwargs):
    """A refusal is shown on the form (on its field when it names one) or is a 403."""
    try:
        return call(**kwargs)
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@login_required
def manage(request):
    user = request.user
    permissions.require(permissions.can_see_site_admin(user))
    rows = [
        (site, permissions.can_manage_site(user, site), selectors.site_url(site, request))
        for site in selectors.managed_sites(user=user)
    ]
    return render(
        request,
        "sites/manage.html",
        {"rows": rows, "can_create": permissions.is_city_admin(user)},
    )


@login_required
def create(request):
    user = request.user
    permissions.require(permissions.is_city_admin(user))
    form = forms.SiteForm(
        request.POST or None,
        request.FILES or None,
        districts=selectors.districts_for_site(user=user),
    )
    if request.method == "POST" and form.is_valid():
        site = _run_for_form(form, services.site_create, actor=user, **form.service_fields())
        if site is not None:
            messages.success(request, _("The site %(name)s is created.") % {"name": site.name})
            return redirect("sites:manage")
    return render(request, "sites/form.html", {"form": form, "site": None, "full": True})


@login_required
def edit(request, slug: str):
    user = request.user
    site = selectors.site_by_slug(slug)
    full = permissions.can_manage_site(user, site)
    permissions.require(full or permissions.can_edit_site_look(user, site))
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    if full:
        districts = selectors.districts_for_site(user=user, site=site)
        form = forms.SiteForm(data, files, site=site, districts=districts)
    else:
        form = forms.LookForm(data, files, site=site)
    if request.method == "POST" and form.is_valid():
        updated = _run_for_form(
            form, services.site_update, actor=user, site=site, **form.service_fields()
        )
        if updated is not None:
            messages.success(request, _("Saved."))
            return redirect("sites:manage")
    return render(request, "sites/form.html", {"form": form, "site": site, "full": full})


@login_required
@require_POST
def set_active(request, slug: str):
    site = selectors.site_by_slug(slug)
    permissions.require(permissions.can_manage_site(request.user, site))
    active = request.POST.get("active") == "1"
    try:
        services.site_set_active(actor=request.user, site=site, active=active)
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("sites:manage")
    if active:
        messages.success(request, _("%(name)s is online again.") % {"name": site.name})
    else:
        messages.success(request, _("%(name)s is taken offline.") % {"name": site.name})
    return redirect("sites:manage")
