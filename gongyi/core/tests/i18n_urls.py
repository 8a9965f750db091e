"""A URLconf with the language in the path, for test_middleware (ours has none)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path

urlpatterns = i18n_patterns(path("hello/", lambda request: HttpResponse("hello")))
