"""Pages that belong to no app: the home page and the error pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language as django_set_language

from gongyi.core.errors import NotAllowed, ServiceError


def home(request):
    return render(request, "core/home.html")


def not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)


def healthz(request):
    """Liveness for load balancers; also the bare-endpoint baseline of the benchmarks."""
    return HttpResponse(b"ok", content_type="text/plain")


# Switching the language needs no CSRF token: the worst a forged switch does is change a
# visitor's language, and without a token the pages that show the switch can be cached.
set_language = csrf_exempt(django_set_language)


def run_service(request, call, *args, **kwargs):
    """Run a service for a page: a refusal becomes an error message (or 403), success its value."""
    try:
        return call(*args, **kwargs)
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as error:
        messages.error(request, error.message)
        return None
