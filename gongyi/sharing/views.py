"""Sharing pages: the short link itself, the share button's answer, posters, the figures."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from gongyi.accounts.backends import client_ip
from gongyi.core.images import FontMissing
from gongyi.sharing import selectors, services

POSTER_MAX_AGE = 10 * 60


def caller_key(request, user=None) -> str:
    """Who shares or visits, for the throttle: the account when signed in, else the address."""
    user = user or request.user
    if user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or '-'}"


def _missing(request, error: services.NotShareable):
    return render(request, "sharing/missing.html", {"message": error.message}, status=404)


@require_safe
def visit(request, code: str):
    """A short link: on to the page it shares (302), counting the visit."""
    # A HEAD is a link checker or a preview fetcher, not a person: never counted.
    agent = request.headers.get("User-Agent", "") if request.method == "GET" else ""
    try:
        url = services.visit(code=code, who=caller_key(request), user_agent=agent)
    except services.NotShareable as error:
        return _missing(request, error)
    response = redirect(url)
    # Not kept by browsers or proxies: every visit reaches us and can be counted.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# No CSRF token: the share button sits on pages served to visitors from the shared page cache
# (which must carry no token), and the worst a forged share does is add one throttled count.
@csrf_exempt
@require_POST
def share(request, kind: str, key: str):
    """The share button: the target's short link (counting one share). htmx gets the panel's
    result fragment; without JavaScript the form posts here and gets a page."""
    try:
        shared = services.share(kind=kind, key=key, who=caller_key(request))
    except services.NotShareable as error:
        return _missing(request, error)
    context = {"shared": shared, "share": shared.target}
    template = "sharing/_share_result.html" if request.headers.get("HX-Request") else None
    response = render(request, template or "sharing/shared.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def project_poster(request, number: str):
    """The project's poster (PNG); 404 for drafts and cancelled projects."""
    project = selectors.poster_project(number)
    return poster_response(
        request,
        lambda: services.project_poster(project=project, absolute=request.build_absolute_uri),
        filename=project.number,
    )


def poster_response(request, draw, *, filename: str) -> HttpResponse:
    """A poster as an answer: `draw()` gives (PNG bytes, digest); the digest is its ETag, a
    repeat gets 304, and a server without the Chinese font a 503 page (never a 500)."""
    try:
        body, digest = draw()
    except FontMissing as error:
        return render(
            request, "sharing/poster_unavailable.html", {"message": error.message}, status=503
        )
    etag = f'"{digest}"'
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(body, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={POSTER_MAX_AGE}"
    response["Content-Disposition"] = f'inline; filename="{filename}.png"'
    return response


@login_required
@require_GET
def project_figures(request, number: str):
    """How often the project was shared and its links visited: for its organisers."""
    project = selectors.figures_project(user=request.user, number=number)
    return render(
        request,
        "sharing/figures.html",
        {"project": project, "figures": selectors.project_figures(project)},
    )
