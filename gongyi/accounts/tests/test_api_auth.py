"""The API as a partner app and a browser really call it: CSRF is enforced here.

Django's test client skips CSRF checks unless asked, which hid that a bearer-token POST
was refused; these tests ask.
"""

from datetime import timedelta

import pytest
from django.test import Client

from gongyi.accounts.models import ApiToken
from gongyi.accounts.services import create_api_token


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_token_post_needs_no_csrf_token(strict_client, volunteer, org):
    _, key = create_api_token(user=volunteer.user, name="partner")
    response = strict_client.post(
        f"/api/v1/orgs/{org.pk}/join",
        {"message": "我想加入"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content


def test_session_post_without_csrf_token_is_refused(strict_client, volunteer, org):
    strict_client.force_login(volunteer.user)
    response = strict_client.post(
        f"/api/v1/orgs/{org.pk}/join", {"message": "hi"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not org.memberships.filter(user=volunteer.user).exists()


def test_session_post_with_csrf_token_works(strict_client, volunteer, org):
    strict_client.force_login(volunteer.user)
    strict_client.get("/")  # sets the CSRF cookie
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post(
        f"/api/v1/orgs/{org.pk}/join",
        {"message": "hi"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201


def test_wrong_token_is_401(strict_client, db):
    response = strict_client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_last_use_is_written_at_most_once_a_minute(db, volunteer):
    token, key = create_api_token(user=volunteer.user, name="partner")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/v1/accounts/me")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/accounts/me")
    token.refresh_from_db()
    assert token.last_used_at == first  # a second call within the minute writes nothing
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/accounts/me")
    token.refresh_from_db()
    assert token.last_used_at > first
