"""Sweeps over every page and API endpoint: nobody gets a 500, outsiders are refused.

Each app tests its own pages in depth; these sweeps catch the page someone forgot.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from gongyi.api import api

SAMPLE_ARGS = {"int": "999999", "str": "no-such-thing", "slug": "no-such-thing", "path": "x"}


def page_urls(resolver=None, prefix=""):
    """Every URL of the site with its parameters filled by values that match nothing."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "api/", "media/", "i18n/")):
            continue
        if isinstance(entry, URLResolver):
            yield from page_urls(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS[m[1] or "str"], route)


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(set(page_urls())))
def test_no_page_answers_500_to_a_visitor(client, url):
    assert client.get(url).status_code < 500
    assert client.post(url, {}).status_code < 500


@pytest.mark.parametrize("url", sorted(set(page_urls())))
def test_no_page_answers_500_to_an_outsider(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code < 500
    assert client.post(url, {"bad": "x" * 5000}).status_code < 500


def api_operations(secured: bool):
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if bool(operation.get("security")) == secured:
                yield method, re.sub(r"\{\w+\}", "999999", path)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), sorted(set(api_operations(secured=True))))
def test_every_secured_api_endpoint_refuses_an_anonymous_caller(client, method, path):
    response = getattr(client, method)(path, data={}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), sorted(set(api_operations(secured=False))))
def test_no_public_api_endpoint_answers_500_to_junk(client, method, path):
    response = getattr(client, method)(path, data={"junk": [1]}, content_type="application/json")
    assert response.status_code < 500
