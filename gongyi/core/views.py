"""Pages that belong to no app: the home page and the error pages."""

from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    return render(request, "core/home.html")


def not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)


def healthz(request):
    """Liveness for load balancers; also the bare-endpoint baseline of the benchmarks."""
    return HttpResponse(b"ok", content_type="text/plain")
