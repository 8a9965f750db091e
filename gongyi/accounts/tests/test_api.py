"""The accounts API: the same services as the pages, JSON errors, tokens, and refusals."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongyi.accounts.api_auth import token_hash
from gongyi.accounts.models import ApiToken, User, Volunteer
from gongyi.accounts.tests.helpers import last_code, register, resident_id
from gongyi.testing.people import PASSWORD

API = "/api/v1/accounts"
NEW_PHONE = "13612345678"
NEW_PASSWORD = "Xin-mima-2026!"
ID_NUMBER = resident_id(datetime.date(1992, 2, 2), order=7)


def post(client, path, data=None, **extra):
    return client.post(API + path, data or {}, content_type="application/json", **extra)


def patch(client, path, data, **extra):
    return client.patch(API + path, data, content_type="application/json", **extra)


@pytest.fixture
def bearer(outsider):
    from gongyi.accounts.services import create_api_token

    _token, key = create_api_token(user=outsider, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def registration(**change):
    return {
        "real_name": "袁小明",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "privacy_consent": True,
        **change,
    }


# --- public: codes, sign-up, log-in ---------------------------------------------------------------


def test_signup_through_the_api(client, outbox, db):
    assert post(client, "/send-code", {"phone": NEW_PHONE}).status_code == 200
    response = post(
        client,
        "/signup",
        {"phone": NEW_PHONE, "code": last_code(outbox, NEW_PHONE), "password": NEW_PASSWORD},
    )
    assert response.status_code == 201
    assert response.json()["phone"] == NEW_PHONE and response.json()["volunteer"] is None
    assert client.get(API + "/me").json()["phone"] == NEW_PHONE  # logged in by session


def test_signup_with_a_wrong_code_is_a_json_error_in_chinese(client, outbox, db):
    post(client, "/send-code", {"phone": NEW_PHONE})
    response = post(client, "/signup", {"phone": NEW_PHONE, "code": "12", "password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.json() == {
        "code": "code_invalid",
        "message": "验证码错误或已过期。",
        "field": "code",
    }
    assert not User.objects.filter(phone=NEW_PHONE).exists()


def test_errors_in_english_on_request(client, db):
    response = post(client, "/send-code", {"phone": "123"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["message"] == "Please enter an 11-digit mainland mobile number."


def test_send_code_is_rate_limited(client, outbox, db):
    post(client, "/send-code", {"phone": NEW_PHONE})
    response = post(client, "/send-code", {"phone": NEW_PHONE})
    assert response.status_code == 429 and response.json()["code"] == "too_soon"
    assert len(outbox) == 1


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/send-code", {"phone": "13612345678", "purpose": "hack"}),
        ("/send-code", {"phone": ["x"]}),
        ("/signup", {"phone": NEW_PHONE}),
        ("/signup", {"phone": "x" * 5000, "code": "1", "password": "p"}),
        ("/login", {"phone": 1}),
        ("/password-reset", {}),
    ],
)
def test_public_endpoints_answer_junk_with_422(client, db, path, data):
    response = post(client, path, data)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_password_reset_through_the_api(client, outbox, outsider):
    post(client, "/send-code", {"phone": outsider.phone, "purpose": "reset"})
    code = last_code(outbox, outsider.phone)
    response = post(
        client,
        "/password-reset",
        {"phone": outsider.phone, "code": code, "password": NEW_PASSWORD},
    )
    assert response.status_code == 200
    outsider.refresh_from_db()
    assert outsider.check_password(NEW_PASSWORD)


def test_login_then_create_a_token_and_use_it(client, outsider):
    response = post(client, "/login", {"phone": outsider.phone, "password": PASSWORD})
    assert response.status_code == 200 and response.json()["id"] == outsider.pk
    response = post(client, "/tokens", {"name": "partner app"})
    assert response.status_code == 201
    key = response.json()["key"]
    token = ApiToken.objects.get(user=outsider)
    assert token.key_hash == token_hash(key) and key not in str(token.__dict__)
    client.logout()
    me = client.get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["phone"] == outsider.phone


def test_login_with_a_wrong_password_is_refused(client, outsider):
    response = post(client, "/login", {"phone": outsider.phone, "password": "wrong"})
    assert response.status_code == 401 and response.json()["code"] == "login_failed"


def test_a_wrong_token_is_refused(client, db):
    response = client.get(API + "/me", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


# --- secured endpoints refuse the anonymous caller ------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/tokens"),
        ("get", "/me"),
        ("post", "/volunteer"),
        ("get", "/volunteer/profile"),
        ("patch", "/volunteer/profile"),
        ("post", "/volunteer/photo"),
        ("get", "/export"),
        ("post", "/close"),
    ],
)
def test_anonymous_caller_is_refused(client, db, method, path):
    response = getattr(client, method)(API + path, {}, content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/volunteer/profile"), ("patch", "/volunteer/profile"), ("post", "/volunteer/photo")],
)
def test_outsider_without_a_profile_gets_404(client, bearer, method, path):
    response = getattr(client, method)(API + path, {}, content_type="application/json", **bearer)
    assert response.status_code in (404, 422)
    if path != "/volunteer/photo":
        assert response.json()["code"] == "not_found"


# --- volunteer registration and profile -----------------------------------------------------------


def test_register_and_edit_the_profile_by_token(client, bearer, outsider, community):
    response = post(client, "/volunteer", registration(home_region=community.code), **bearer)
    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("V") and ID_NUMBER not in response.content.decode()
    assert body["home_region_name"] == "黄浦区 · 南京东路街道 · 贵州路居委会"
    response = patch(
        client,
        "/volunteer/profile",
        {"skills": ["急救"], "interests": ["health"], "availability": ["sat-am"]},
        **bearer,
    )
    assert response.status_code == 200
    assert response.json()["skills"] == ["急救"]
    assert response.json()["home_region"] == community.code  # untouched by the PATCH
    got = client.get(API + "/volunteer/profile", **bearer).json()
    assert got["interests"] == ["health"] and got["availability"] == ["sat-am"]


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"id_number": "123"}, 400, "id_invalid"),
        ({"privacy_consent": False}, 400, "consent_required"),
        ({"home_region": "000000"}, 400, "region_invalid"),
        ({"birth_date": "not a date", "id_type": "passport"}, 422, "invalid"),
        ({"id_type": "passport", "id_number": "E1234567"}, 400, "birth_date_invalid"),
    ],
)
def test_bad_registration_is_a_json_error_and_saves_nothing(
    client, bearer, district, change, status, code
):
    response = post(client, "/volunteer", registration(**change), **bearer)
    assert response.status_code == status and response.json()["code"] == code
    assert not Volunteer.objects.exists()


def test_duplicate_id_through_the_api(client, bearer, db):
    from gongyi.testing.people import make_user

    register(make_user(), id_number=ID_NUMBER)
    response = post(client, "/volunteer", registration(id_number=ID_NUMBER.lower()), **bearer)
    assert response.status_code == 400 and response.json()["code"] == "id_taken"


@pytest.mark.parametrize(
    "data",
    [{"interests": ["nope"]}, {"availability": ["mon-night"]}, {"skills": ["x" * 31]}],
)
def test_bad_profile_patch_changes_nothing(client, bearer, outsider, data):
    register(outsider)
    response = patch(client, "/volunteer/profile", data, **bearer)
    assert response.status_code == 400 and response.json()["code"] in (
        "choice_invalid",
        "list_too_long",
    )
    volunteer = Volunteer.objects.get(user=outsider)
    assert volunteer.interests == [] and volunteer.skills == []


def test_photo_upload_through_the_api(client, bearer, outsider):
    register(outsider)
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(out, format="PNG")
    response = client.post(
        API + "/volunteer/photo",
        {"photo": SimpleUploadedFile("p.png", out.getvalue(), "image/png")},
        **bearer,
    )
    assert response.status_code == 200 and response.json()["photo"].endswith(".jpg")
    junk = client.post(
        API + "/volunteer/photo",
        {"photo": SimpleUploadedFile("p.png", b"junk", "image/png")},
        **bearer,
    )
    assert junk.status_code == 400 and junk.json()["code"] == "photo_invalid"


# --- export and close -----------------------------------------------------------------------------


def test_export_returns_only_the_callers_data(client, bearer, outsider, volunteer):
    register(outsider, id_number=ID_NUMBER)
    data = client.get(API + "/export", **bearer).json()
    assert data["volunteer"]["id_number"] == ID_NUMBER
    assert volunteer.number not in str(data)


def test_close_through_the_api(client, bearer, outsider):
    register(outsider)
    wrong = post(client, "/close", {"password": "wrong"}, **bearer)
    assert wrong.status_code == 400 and wrong.json()["code"] == "password_wrong"
    assert post(client, "/close", {"password": PASSWORD}, **bearer).status_code == 200
    outsider.refresh_from_db()
    assert not outsider.is_active
    # The token died with the account.
    assert client.get(API + "/me", **bearer).status_code == 401


# --- the home region: one code, checked by the same service as the pages' chain -------------------


@pytest.mark.parametrize("code", ["31", "000000", "31\x0001", "黄浦"])
def test_api_refuses_a_city_or_unknown_home_region(client, bearer, district, code):
    response = post(client, "/volunteer", registration(home_region=code), **bearer)
    assert response.status_code == 400 and response.json()["code"] == "region_invalid"
    assert not Volunteer.objects.exists()


def test_api_patch_of_the_home_region_is_checked(client, bearer, outsider, district, street):
    register(outsider, id_number=ID_NUMBER, home_region=district)
    response = patch(client, "/volunteer/profile", {"home_region": "31"}, **bearer)
    assert response.status_code == 400 and response.json()["code"] == "region_invalid"
    assert Volunteer.objects.get().home_region == district
    response = patch(client, "/volunteer/profile", {"home_region": street.code}, **bearer)
    assert response.status_code == 200 and response.json()["home_region"] == street.code
    response = patch(client, "/volunteer/profile", {"home_region": None}, **bearer)
    assert response.status_code == 200 and response.json()["home_region"] is None
