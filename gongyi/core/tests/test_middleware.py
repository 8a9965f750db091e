"""core.middleware: the lazy message storage, the cached CSP header and the locale without
path prefixes behave as Django's."""

import re

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory, override_settings
from django.utils import translation
from django.utils.csp import CSP
from django.utils.functional import empty

from gongyi.core.middleware import (
    CachedPolicyMiddleware,
    LazyMessageMiddleware,
    UnprefixedLocaleMiddleware,
)


def answer(request):
    return HttpResponse("ok")


def through_messages(view, cookies=None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    request.session = {}
    middleware = LazyMessageMiddleware(view)
    return request, middleware(request)


def test_a_request_that_never_touches_messages_builds_no_storage_and_sets_no_cookie():
    request, response = through_messages(answer)
    assert request._messages._wrapped is empty
    assert "messages" not in response.cookies


def cookie_with_message(text: str) -> str:
    """The messages cookie of a response whose view added `text`."""

    def adds(request):
        messages.success(request, text)
        return answer(request)

    return through_messages(adds)[1].cookies["messages"].value


def test_a_message_added_is_stored_and_shown_on_the_next_request():
    stored = cookie_with_message("已保存")
    shown = []

    def shows(request):
        shown.extend(str(m) for m in messages.get_messages(request))
        return answer(request)

    _, response = through_messages(shows, {"messages": stored})
    assert shown == ["已保存"]
    assert response.cookies["messages"].value == ""  # read, so cleared, as Django does


def test_messages_left_unread_stay_for_a_later_page():
    _, response = through_messages(answer, {"messages": cookie_with_message("稍后查看")})
    assert "messages" not in response.cookies  # untouched: the browser keeps the cookie


def csp_of(view):
    request = RequestFactory().get("/")
    middleware = CachedPolicyMiddleware(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def test_the_policy_without_a_nonce_is_the_settings_policy():
    _, response = csp_of(answer)
    assert response[CSP.HEADER_ENFORCE] == "default-src 'self'; img-src 'self' data:; " + (
        "script-src 'self'; style-src 'self'"
    )


def test_a_page_that_used_the_nonce_gets_it_in_its_header():
    def uses_nonce(request):
        return HttpResponse(f'<script nonce="{request._csp_nonce}"></script>')

    request, response = csp_of(uses_nonce)
    nonce = re.search(r"'nonce-([^']+)'", response[CSP.HEADER_ENFORCE])[1]
    assert nonce == str(request._csp_nonce)
    _, plain = csp_of(answer)
    assert "nonce" not in plain[CSP.HEADER_ENFORCE]  # the cached policy is not the nonce's


def test_a_changed_setting_gives_a_new_policy():
    middleware = CachedPolicyMiddleware(answer)
    for img in ("'self'", "'self' data:"):
        with override_settings(SECURE_CSP={"img-src": img.split()}):
            request = RequestFactory().get("/")
            middleware.process_request(request)
            response = middleware.process_response(request, answer(request))
            assert response[CSP.HEADER_ENFORCE] == f"img-src {img}"


def test_a_pages_own_header_is_kept():
    def own(request):
        response = answer(request)
        response[CSP.HEADER_ENFORCE] = "default-src 'none'"
        return response

    _, response = csp_of(own)
    assert response[CSP.HEADER_ENFORCE] == "default-src 'none'"


def test_every_response_carries_the_policy(client, db):
    page, api = client.get("/"), client.get("/api/v1/openapi.json")
    assert "default-src 'self'" in page[CSP.HEADER_ENFORCE]
    assert "nonce-" in page[CSP.HEADER_ENFORCE]  # the base template uses the nonce
    assert api[CSP.HEADER_ENFORCE] == csp_of(answer)[1][CSP.HEADER_ENFORCE]


def through_locale(middleware_class, path="/api/v1/x", urlconf=None, view=answer, **headers):
    """(the request's language, the response) through a locale middleware."""
    request = RequestFactory().get(path, **headers)
    if urlconf:
        request.urlconf = urlconf
    with translation.override(None):
        response = middleware_class(view)(request)
    return request.LANGUAGE_CODE, response


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"},
        {"HTTP_ACCEPT_LANGUAGE": "en", "HTTP_COOKIE": "django_language=zh-hans"},
        {"HTTP_ACCEPT_LANGUAGE": "fr"},
        {"HTTP_COOKIE": "django_language=en"},
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/x", "/en/projects/", "/"])
def test_the_language_and_its_headers_are_djangos(headers, path):
    ours, theirs = (
        through_locale(m, path, **headers) for m in (UnprefixedLocaleMiddleware, LocaleMiddleware)
    )
    assert ours[0] == theirs[0]
    for header in ("Vary", "Content-Language"):
        assert ours[1][header] == theirs[1][header]


def test_a_urlconf_with_the_language_in_the_path_goes_through_djangos_code():
    urlconf = "gongyi.core.tests.i18n_urls"
    assert through_locale(UnprefixedLocaleMiddleware, "/en/hello/", urlconf)[0] == "en"
    _, missing = through_locale(
        UnprefixedLocaleMiddleware, "/hello/", urlconf, lambda r: HttpResponse(status=404)
    )
    assert missing.status_code == 302
    assert missing["Location"] == "/zh-hans/hello/"
