"""The platform's API under /api/v1/: one NinjaAPI, a router per app.

Authentication: the browser session (with CSRF) or a bearer token (`Authorization: Bearer …`).
Errors are JSON `{"code": …, "message": …}` with the message in the request's language, and
so are ninja's own answers (no caller, unreadable body, wrong method) and unknown addresses.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, URLPattern, include, path, re_path, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from gongyi.accounts.api import router as accounts_router
from gongyi.accounts.api_auth import session_or_token
from gongyi.attendance.api import router as attendance_router
from gongyi.calendars.api import router as calendars_router
from gongyi.certificates.api import router as certificates_router
from gongyi.core.errors import ServiceError
from gongyi.dashboard.api import router as dashboard_router
from gongyi.growth.api import router as growth_router
from gongyi.notices.api import router as notices_router
from gongyi.orgs.api import router as orgs_router
from gongyi.projects.api import router as projects_router
from gongyi.rankings.api import router as rankings_router
from gongyi.regions.api import router as regions_router
from gongyi.service.api import router as service_router
from gongyi.sharing.api import router as sharing_router
from gongyi.signups.api import router as signups_router
from gongyi.sites.api import router as sites_router
from gongyi.snapshots.api import router as snapshots_router
from gongyi.value.api import router as value_router

# What ninja raises (as HttpError) when a session POST has no valid CSRF token, and when a
# body cannot be parsed (with the parser's error after it when DEBUG is on).
NINJA_CSRF_MESSAGE = "CSRF check Failed"
NINJA_BODY_MESSAGE = "Cannot parse request body"


class GongyiAPI(NinjaAPI):
    """NinjaAPI whose answers outside the operations are JSON too. Left alone, ninja answers a
    wrong method with a plain-text 405, and Django an unknown address (or the bare API root)
    with the HTML 404 page."""

    def _get_urls(self):
        urls = [
            _answering_json(url) if isinstance(url, URLPattern) else url
            for url in super()._get_urls()
        ]
        urls = _grouped_by_first_segment(urls)
        urls.append(re_path(r"^.*$", unknown_address, name="unknown-address"))
        return urls


def _grouped_by_first_segment(urls: list) -> list:
    """Ninja lists every operation in one flat list (160-odd): Django would try a signup's
    address against the 50-odd patterns before it. Nested under their first segment
    (`signups/` → its own patterns), an address is tried against ~20 prefixes and then its
    router's few. Same names, same matches: only the order of the tries changes."""
    grouped, groups = [], {}
    for url in urls:
        head, slash, rest = str(url.pattern).partition("/")
        if not (isinstance(url, URLPattern) and slash and "<" not in head):
            grouped.append(url)
            continue
        if head not in groups:
            groups[head] = []
            grouped.append(path(f"{head}/", include(groups[head])))
        groups[head].append(path(rest, url.callback, url.default_args, url.name))
    return grouped


def _answering_json(url: URLPattern) -> URLPattern:
    view = url.callback

    @wraps(view)
    def view_answering_json(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # the API root: ninja keeps it only to reverse the operations' URLs
            return on_not_found(request)
        if response.status_code != 405:
            return response
        message = _("This address does not accept %(method)s.") % {"method": request.method}
        refused = error(request, 405, "method_not_allowed", message)
        refused["Allow"] = response["Allow"]
        return refused

    # Ninja's operations check CSRF themselves (in the session auth); the rest (the root, the
    # schema, the docs) only read, so Django's CSRF page would hide the JSON 404 or 405.
    view_answering_json.csrf_exempt = True
    return URLPattern(url.pattern, view_answering_json, url.default_args, url.name)


@csrf_exempt  # nothing here to protect, and a JSON 404 says more than the CSRF page
def unknown_address(request):
    """No operation here; like Django's APPEND_SLASH, send `…/orgs` on to `…/orgs/`."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "unknown-address":
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return on_not_found(request)


api = GongyiAPI(
    title="Gongyi API",
    version="1",
    description="公益 — city volunteer service platform",
    urls_namespace="api",
    auth=session_or_token,
)
api.add_router("/regions", regions_router, tags=["regions"])
api.add_router("/accounts", accounts_router, tags=["accounts"])
api.add_router("/orgs", orgs_router, tags=["organisations"])
api.add_router("/projects", projects_router, tags=["projects"])
api.add_router("/signups", signups_router, tags=["signups"])
api.add_router("/attendance", attendance_router, tags=["attendance"])
api.add_router("/hours", service_router, tags=["service hours"])
api.add_router("/notices", notices_router, tags=["inbox"])
api.add_router("/certificates", certificates_router, tags=["certificates"])
api.add_router("/growth", growth_router, tags=["growth"])
api.add_router("/calendar", calendars_router, tags=["calendar"])
api.add_router("/snapshots", snapshots_router, tags=["snapshots"])
api.add_router("/share", sharing_router, tags=["sharing"])
api.add_router("/rankings", rankings_router, tags=["rankings"])
api.add_router("/dashboard", dashboard_router, tags=["dashboard"])
api.add_router("/value", value_router, tags=["economic value"])
api.add_router("/sites", sites_router, tags=["district sites"])


def error(request, status: int, code: str, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    extra = {"field": exc.field} if exc.field else {}
    return error(request, exc.status, exc.code, str(exc.message), **extra)


@api.exception_handler(NinjaValidationError)
def on_invalid_input(request, exc: NinjaValidationError):
    fields = [".".join(str(p) for p in e.get("loc", [])[1:]) for e in exc.errors]
    return error(request, 422, "invalid", _("Some fields are missing or invalid."), fields=fields)


@api.exception_handler(DjangoValidationError)
def on_model_validation(request, exc: DjangoValidationError):
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    text = "; ".join(m for ms in messages.values() for m in ms)
    return error(request, 422, "invalid", text, errors=messages)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", _("Please log in first."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc=None):
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)  # too many fields, a body over the size limit
def on_unreadable_body(request, exc):
    return error(request, 400, "bad_request", _("The request body could not be read."))


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    return error(request, 429, "throttled", _("Too many requests. Please try again later."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 403 and str(exc) == NINJA_CSRF_MESSAGE:
        # Ninja checks CSRF before it looks for a session, so a caller with no session at all
        # (and no valid token) would hear about CSRF; what they lack is a log-in.
        if not request.user.is_authenticated:
            return on_unauthenticated(request, exc)
        return error(
            request,
            403,
            "csrf_failed",
            _("Send the CSRF token with a session, or use a bearer token instead."),
        )
    if exc.status_code == 400 and str(exc).startswith(NINJA_BODY_MESSAGE):
        return on_unreadable_body(request, exc)
    return error(request, exc.status_code, "error", str(exc))
