"""Ranking pages: the live top 100s, exports, published lists, publishing, consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gongyi import permissions
from gongyi.core.errors import ServiceError
from gongyi.core.exports import FORMATS, table_response
from gongyi.core.views import run_service
from gongyi.rankings import forms, selectors, services
from gongyi.rankings.models import PublishedRanking
from gongyi.rankings.subjects import CHOICES, SUBJECTS
from gongyi.regions.selectors import cities_with_districts
from gongyi.sites.current import site_district
from gongyi.stats.models import RankingConsent


def _query(request) -> tuple[selectors.Query | None, str]:
    """The query the request asks for, or (the defaults, the error to show)."""
    default = site_district(request)
    try:
        return selectors.parse_query(
            subject=request.GET.get("subject", ""),
            region_code=request.GET.get("region", ""),
            period=request.GET.get("period", ""),
            default_region=default,
        ), ""
    except ServiceError as error:
        try:
            fallback = selectors.parse_query(
                subject="organisations", region_code="", period="all", default_region=default
            )
        except ServiceError:
            fallback = None
        return fallback, str(error.message)


def ranking_list(request):
    query, error = _query(request)
    ranking = selectors.live_ranking(query) if query else None
    consent = None
    volunteer = getattr(request.user, "volunteer", None) if request.user.is_authenticated else None
    if volunteer is not None:
        consent = RankingConsent.objects.filter(volunteer=volunteer).exists()
    context = {
        "query": query,
        "ranking": ranking,
        "error": error,
        "subjects": CHOICES,
        "cities": cities_with_districts(),
        "consent": consent,
        "can_publish": query is not None and permissions.is_city_admin(request.user),
        "published": selectors.published_lists(region=query.region if query else None)[:10],
    }
    return render(request, "rankings/list.html", context, status=400 if error else 200)


def _rows(entries: list[dict]) -> list[list]:
    header = [_("Rank"), _("Name"), _("District"), _("Service hours")]
    return [header] + [[e["rank"], e["name"], e["district"], e["hours"]] for e in entries]


def ranking_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    query, error = _query(request)
    if error or query is None:
        raise Http404
    ranking = selectors.live_ranking(query)
    name = f"ranking-{query.subject}-{query.region.code}-{query.period}"
    return table_response(_rows(ranking.entries), filename=name, fmt=fmt)


def published_list(request):
    page = selectors.published_lists()[:200]
    return render(request, "rankings/published_list.html", {"lists": page})


def published_detail(request, pk: int):
    published = get_object_or_404(PublishedRanking.objects.select_related("region"), pk=pk)
    label = SUBJECTS.get(published.subject)
    return render(
        request,
        "rankings/published_detail.html",
        {"published": published, "label": label.label if label else published.subject},
    )


def published_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    published = get_object_or_404(PublishedRanking, pk=pk)
    return table_response(_rows(published.entries), filename=f"ranking-{pk}", fmt=fmt)


@login_required
def publish(request):
    permissions.require(permissions.is_city_admin(request.user))
    form = forms.PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            query = selectors.parse_query(
                subject=data["subject"], region_code=data["region"], period=data["period"]
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            published = run_service(
                request,
                services.publish_ranking,
                actor=request.user,
                query=query,
                as_of=data["as_of"],
                title=data["title"],
            )
            if published:
                messages.success(request, _("The ranking is published."))
                return redirect("rankings:published_detail", pk=published.pk)
    return render(request, "rankings/publish.html", {"form": form})


@login_required
def consent(request):
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        messages.error(request, _("Register as a volunteer first."))
        return redirect("rankings:list")
    given = RankingConsent.objects.filter(volunteer=volunteer).exists()
    # An unticked box posts nothing: bind on the method, not on the data.
    posted = request.POST if request.method == "POST" else None
    form = forms.ConsentForm(posted, initial={"given": given})
    if request.method == "POST" and form.is_valid():
        given = run_service(
            request, services.set_consent, actor=request.user, given=form.cleaned_data["given"]
        )
        if given is not None:
            messages.success(request, _("Your choice is saved."))
            return redirect("rankings:list")
    return render(request, "rankings/consent.html", {"form": form, "given": given})
