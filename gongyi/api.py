"""The platform's API under /api/v1/: one NinjaAPI, a router per app.

Authentication: the browser session (with CSRF) or a bearer token (`Authorization: Bearer …`).
Errors are JSON `{"code": …, "message": …}` with the message in the request's language.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gongyi.accounts.api import router as accounts_router
from gongyi.accounts.api_auth import session_or_token
from gongyi.core.errors import ServiceError
from gongyi.notices.api import router as notices_router
from gongyi.orgs.api import router as orgs_router
from gongyi.projects.api import router as projects_router
from gongyi.regions.api import router as regions_router
from gongyi.signups.api import router as signups_router

api = NinjaAPI(
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
api.add_router("/notices", notices_router, tags=["inbox"])


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
def on_not_found(request, exc):
    return error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error(request, exc.status_code, "error", str(exc))
