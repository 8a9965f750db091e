"""Password guessing is throttled per number and address, on the page and in the API."""

from django.urls import reverse

from gongyi.accounts.throttle import MAX_FAILURES
from gongyi.testing.people import PASSWORD


def try_login(client, phone, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": phone, "password": password}, **extra
    )


def test_locked_after_too_many_wrong_passwords_even_with_the_right_one(client, volunteer):
    phone = volunteer.user.phone
    for _ in range(MAX_FAILURES):
        assert (
            "_auth_user_id" not in try_login(client, phone, "wrong-password").wsgi_request.session
        )
    response = try_login(client, phone, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert "密码错误次数过多" in response.content.decode()


def test_other_addresses_are_not_locked_out(client, volunteer):
    phone = volunteer.user.phone
    for _ in range(MAX_FAILURES):
        try_login(client, phone, "wrong-password", REMOTE_ADDR="10.0.0.9")
    try_login(client, phone, PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert client.session["_auth_user_id"] == str(volunteer.user.pk)


def test_a_good_login_clears_the_count(client, volunteer):
    phone = volunteer.user.phone
    for _ in range(MAX_FAILURES - 1):
        try_login(client, phone, "wrong-password")
    try_login(client, phone, PASSWORD)
    client.logout()
    try_login(client, phone, "wrong-password")
    try_login(client, phone, PASSWORD)
    assert client.session["_auth_user_id"] == str(volunteer.user.pk)


def test_api_login_says_429_when_locked(client, volunteer):
    url = "/api/v1/accounts/login"
    body = {"phone": volunteer.user.phone, "password": "wrong-password"}
    for _ in range(MAX_FAILURES):
        assert client.post(url, body, content_type="application/json").status_code == 401
    body["password"] = PASSWORD
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "login_locked"
