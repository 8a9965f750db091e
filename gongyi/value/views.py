"""Pages: the economic value of a city or district, a project and an organisation (public),
their exports, and the city admin's wage tables."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongyi import permissions
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.exports import FORMATS, table_response
from gongyi.core.page_cache import cache_version, public_page_cache
from gongyi.orgs.models import Organisation
from gongyi.projects.selectors import PUBLIC_STATUSES, visible_project
from gongyi.regions.models import Region
from gongyi.regions.selectors import cities
from gongyi.sites.current import site_district
from gongyi.value import exports, forms, selectors, services
from gongyi.value.models import FIRST_YEAR, LAST_YEAR
from gongyi.value.services import TABLES_VERSION_KEY

PAGE_CACHE_SECONDS = 60


def _file(rows, fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    return table_response(rows, filename=name, fmt=fmt)


def _links(name: str, args: list, query: dict, prefix: str = "export_url") -> dict:
    """{prefix_csv: url, prefix_xlsx: url} of an export view with its query."""
    query = {k: v for k, v in query.items() if v}
    suffix = f"?{urlencode(query)}" if query else ""
    return {f"{prefix}_{fmt}": reverse(name, args=[*args, fmt]) + suffix for fmt in FORMATS}


def _tables_version():
    return cache_version(TABLES_VERSION_KEY)


# --- a city or a district ---------------------------------------------------------------------


def _region_choice(request):
    """(form, region, year) from ?region=&year=; the region is None when the input is bad."""
    form = forms.RegionForm(request.GET, regions=selectors.value_regions())
    if not form.is_valid():
        return form, None, None
    region = form.chosen_region() or selectors.default_region(site_district(request))
    return form, region, form.cleaned_data.get("year")


@require_GET
@public_page_cache(PAGE_CACHE_SECONDS, version=_tables_version)
def region_page(request):
    form, region, year = _region_choice(request)
    context = {"form": form, "region": region, "year": year, "this_year": selectors.this_year()}
    if region is None:
        status = 200 if form.is_valid() else 400  # no city at all, or bad input
        return render(request, "value/region.html", context, status=status)
    wages = selectors.Wages()  # the city's tables, read once for the region and its districts
    valuation = selectors.region_value(region, wages=wages)
    context.update(
        valuation=valuation,
        current=valuation.for_year(context["this_year"]),
        shown=valuation.for_year(year) if year else valuation,
        districts=(
            selectors.district_values(region, wages=wages)
            if region.level == Region.Level.CITY
            else None
        ),
        city=selectors.city_of(region),
        tables=_tables_shown(valuation, region, wages),
        **_links("value:region_export", [], {"region": region.code, "year": year}),
        **_links(
            "value:region_export",
            [],
            {"region": region.code, "table": "districts"},
            prefix="districts",
        ),
    )
    return render(request, "value/region.html", context)


def _tables_shown(valuation, region, wages: selectors.Wages | None = None) -> list:
    """The tables the figures used (with how they were chosen); with no hours, the city's
    (from `wages` when the figures loaded them already)."""
    used = valuation.tables_used()
    if used:
        return used
    tables = (wages or selectors.Wages()).tables_of(selectors.city_of(region))
    return [selectors.TableUse(t, "", []) for t in reversed(tables)]


@require_GET
def region_export(request, fmt: str):
    _form, region, year = _region_choice(request)
    if region is None:
        raise Http404
    if request.GET.get("table") == "districts":
        if region.level != Region.Level.CITY:
            raise Http404
        named = [(d.name, v) for d, v in selectors.district_values(region)]
        return _file(
            exports.named_rows(_("District"), named), fmt, f"value-{region.code}-districts"
        )
    valuation = selectors.region_value(region)
    shown = valuation.for_year(year) if year else valuation
    suffix = f"-{year}" if year else ""
    return _file(exports.breakdown_rows(shown), fmt, f"value-{region.code}{suffix}")


# --- a project, an organisation -------------------------------------------------------------


@require_GET
def project_page(request, number: str):
    project = visible_project(user=request.user, number=number)
    valuation = selectors.project_value(project)
    return render(
        request,
        "value/project.html",
        {
            "project": project,
            "valuation": valuation,
            "current": valuation.for_year(selectors.this_year()),
            "this_year": selectors.this_year(),
            "tables": _tables_shown(valuation, project.district),
            **_links("value:project_export", [project.number], {}),
        },
    )


@require_GET
def project_export(request, number: str, fmt: str):
    project = visible_project(user=request.user, number=number)
    rows = exports.breakdown_rows(selectors.project_value(project))
    return _file(rows, fmt, f"value-{project.number}")


def _visible_org(request, pk: int) -> Organisation:
    if not 1 <= pk <= 2**63 - 1:
        raise Http404
    org = get_object_or_404(Organisation.objects.select_related("district"), pk=pk)
    if not permissions.can_see_org(request.user, org):
        raise Http404
    return org


def _project_lines(found) -> list[dict]:
    """Projects with hours; those not public are counted without their titles."""
    return [
        {"project": p, "valuation": v, "public": p.status in PUBLIC_STATUSES}
        for p, v in found.projects
    ]


@require_GET
def org_page(request, pk: int):
    org = _visible_org(request, pk)
    found = selectors.org_value(org)
    return render(
        request,
        "value/org.html",
        {
            "org": org,
            "valuation": found.total,
            "current": found.total.for_year(selectors.this_year()),
            "this_year": selectors.this_year(),
            "projects": _project_lines(found),
            "tables": _tables_shown(found.total, org.district),
            **_links("value:org_export", [org.pk], {}),
        },
    )


@require_GET
def org_export(request, pk: int, fmt: str):
    org = _visible_org(request, pk)
    found = selectors.org_value(org)
    if request.GET.get("table") == "projects":
        named = [
            (
                f"{line['project'].number} {line['project'].title}"
                if line["public"]
                else _("A project no longer public"),
                line["valuation"],
            )
            for line in _project_lines(found)
        ]
        return _file(exports.named_rows(_("Project"), named), fmt, f"value-org-{org.pk}-projects")
    return _file(exports.breakdown_rows(found.total), fmt, f"value-org-{org.pk}")


# --- the city admin's wage tables -----------------------------------------------------------


def _managed_city(request, code: str) -> Region:
    city = selectors.city_by_code(code)
    permissions.require(permissions.can_manage_wages(request.user, city))
    return city


@login_required
@require_GET
def wages_home(request):
    permissions.require(permissions.can_see_wage_admin(request.user))
    managed = [c for c in cities() if permissions.can_manage_wages(request.user, c)]
    if len(managed) == 1:
        return redirect("value:city_wages", code=managed[0].code)
    return render(request, "value/wages_home.html", {"cities": managed})


@login_required
@require_GET
def city_wages(request, code: str):
    city = _managed_city(request, code)
    return render(
        request,
        "value/city_wages.html",
        {"city": city, "tables": list(reversed(selectors.city_tables(city)))},
    )


def _service_error(form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def wage_new(request, code: str):
    city = _managed_city(request, code)
    tables = selectors.city_tables(city)
    previous = tables[-1] if tables else None
    initial = {"year": selectors.this_year(), "copy_previous": previous is not None}
    if previous is not None:
        initial.update(
            source=previous.source,
            default_occupation=previous.default_occupation,
            default_wage=previous.default_wage,
        )
    form = forms.NewTableForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            table = services.create_table(
                actor=request.user,
                city=city,
                year=data["year"],
                source=data["source"],
                default_occupation=data["default_occupation"],
                default_wage=data["default_wage"],
                copy_previous=data["copy_previous"],
            )
        except NotAllowed:
            raise PermissionDenied from None
        except ServiceError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The wage table was created. Now set its rates."))
            return redirect("value:wage_edit", code=city.code, year=table.year)
    return render(
        request,
        "value/wage_new.html",
        {"city": city, "form": form, "previous": previous},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def wage_edit(request, code: str, year: int):
    city = _managed_city(request, code)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    table = selectors.table_of(city, year)
    if table is None:
        raise Http404
    rows = selectors.rate_rows(table)
    posted = request.POST if request.method == "POST" else None
    form = forms.TableForm(
        posted,
        initial={
            "source": table.source,
            "default_occupation": table.default_occupation,
            "default_wage": table.default_wage,
        },
    )
    formset = forms.RateFormSet(posted, initial=forms.rate_initial(rows), prefix="rates")
    rate_errors = []
    if posted is not None and form.is_valid() and formset.is_valid():
        try:
            services.update_table(
                actor=request.user,
                table=table,
                source=form.cleaned_data["source"],
                default_occupation=form.cleaned_data["default_occupation"],
                default_wage=form.cleaned_data["default_wage"],
                rates=forms.rates_from(formset),
            )
        except NotAllowed:
            raise PermissionDenied from None
        except ServiceError as error:
            if error.field == "rates":
                rate_errors.append(error.message)
            else:
                _service_error(form, error)
        else:
            messages.success(request, _("The wage table was saved."))
            return redirect("value:wage_edit", code=city.code, year=table.year)
    names = {row["category"].pk: row["category"] for row in rows}
    lines = [(names.get(_category_of(f)), f) for f in formset.forms]
    return render(
        request,
        "value/wage_edit.html",
        {
            "city": city,
            "table": table,
            "form": form,
            "formset": formset,
            "lines": lines,
            "rate_errors": rate_errors,
        },
        status=400 if posted is not None else 200,
    )


def _category_of(form) -> int | None:
    value = form["category"].value()
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
