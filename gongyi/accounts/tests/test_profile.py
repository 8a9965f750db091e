"""My account page, profile editing with a photo, the data export and closing the account."""

import datetime
import io
import json
import os

import pytest
from django.contrib.auth import get_user
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gongyi.accounts import photos
from gongyi.accounts.models import ApiToken, User, Volunteer
from gongyi.accounts.services import create_api_token
from gongyi.accounts.tests.helpers import register, resident_id
from gongyi.core.models import AuditEntry
from gongyi.testing.people import PASSWORD, make_user

ID_NUMBER = resident_id(datetime.date(1990, 1, 1), order=5)


@pytest.fixture
def alice(db) -> Volunteer:
    """A volunteer registered through the service, with a known ID number."""
    return register(make_user(), id_number=ID_NUMBER, real_name="袁小明")


def jpeg_with_gps() -> bytes:
    im = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (31.0, 14.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    im.save(out, format="JPEG", exif=exif)
    return out.getvalue()


# --- pages refuse visitors and people without a volunteer profile --------------------------------


@pytest.mark.parametrize(
    "name", ["me", "register_volunteer", "profile_edit", "export", "close", "password_change"]
)
def test_own_pages_send_a_visitor_to_log_in(client, db, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_profile_edit_sends_an_outsider_to_register_first(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302 and response.url == reverse("accounts:register_volunteer")


def test_registered_volunteer_is_not_registered_twice_by_the_page(client, alice):
    client.force_login(alice.user)
    response = client.get(reverse("accounts:register_volunteer"))
    assert response.status_code == 302 and response.url == reverse("accounts:me")


# --- my account ----------------------------------------------------------------------------------


def test_me_shows_the_profile_with_the_id_masked(client, alice):
    client.force_login(alice.user)
    page = client.get(reverse("accounts:me")).content.decode()
    assert alice.number in page and alice.id_number_masked in page
    assert ID_NUMBER not in page
    assert "志愿者编号" in page


def test_me_in_english(client, alice):
    client.force_login(alice.user)
    page = client.get(reverse("accounts:me"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteer number" in page and "Download my data" in page


def test_me_of_an_outsider_invites_to_register(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("accounts:me")).content.decode()
    assert reverse("accounts:register_volunteer") in page


# --- registration page ---------------------------------------------------------------------------


def test_registration_page_registers(client, outsider, district, street, community):
    client.force_login(outsider)
    page = client.get(reverse("accounts:register_volunteer")).content.decode()
    assert "黄浦区" in page
    response = client.post(
        reverse("accounts:register_volunteer"),
        {
            "real_name": "袁小明",
            "id_type": "resident_id",
            "id_number": ID_NUMBER,
            "home_district": district.pk,
            "home_street": street.pk,
            "home_community": community.pk,
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user=outsider)
    assert volunteer.home_region == community
    assert AuditEntry.objects.filter(action="volunteer.registered").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id_number": ID_NUMBER[:-1] + "0" if ID_NUMBER[-1] != "0" else "1"}, "校验码"),
        ({"id_number": "123"}, "18 位"),
        ({"privacy_consent": ""}, "必填"),
        ({"real_name": "1234"}, "真实姓名"),
        ({"home_district": "999999"}, "有效"),
        ({"id_type": "passport", "id_number": "E12345678"}, "出生日期"),
    ],
)
def test_registration_page_explains_bad_input_and_saves_nothing(
    client, outsider, district, change, message
):
    client.force_login(outsider)
    data = {
        "real_name": "袁小明",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "home_district": district.pk,
        "privacy_consent": "on",
        **change,
    }
    response = client.post(reverse("accounts:register_volunteer"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Volunteer.objects.exists()


def test_registration_page_refuses_a_child_in_english(client, outsider, district):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:register_volunteer"),
        {
            "real_name": "Tom",
            "id_type": "resident_id",
            "id_number": resident_id(datetime.date.today().replace(year=2020, day=1)),
            "home_district": district.pk,
            "privacy_consent": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Children under 14 cannot register on their own" in response.content.decode()


# --- profile -----------------------------------------------------------------------------------


def test_profile_edit_saves_everything(client, alice, district, street):
    client.force_login(alice.user)
    assert client.get(reverse("accounts:profile_edit")).status_code == 200
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "skills": "急救，摄影, 急救",
            "languages": "普通话、英语",
            "interests": ["community", "health"],
            "availability": ["sat-am", "sun-eve"],
            "home_district": district.pk,
            "home_street": street.pk,
            "photo": SimpleUploadedFile("me.jpg", jpeg_with_gps(), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.skills == ["急救", "摄影"]
    assert alice.languages == ["普通话", "英语"]
    assert alice.interests == ["community", "health"]
    assert alice.availability == ["sat-am", "sun-eve"]
    assert alice.home_region == street
    with Image.open(alice.photo.path) as saved:
        assert not saved.getexif()  # no camera, no GPS
    page = client.get(reverse("accounts:me")).content.decode()
    assert "社区服务" in page and "卫生健康" in page


def test_a_new_photo_replaces_the_old_file(client, alice, django_capture_on_commit_callbacks):
    client.force_login(alice.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:profile_edit"),
            {"photo": SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")},
        )
        alice.refresh_from_db()
        first = alice.photo.path
        client.post(
            reverse("accounts:profile_edit"),
            {"photo": SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg")},
        )
    alice.refresh_from_db()
    assert os.path.exists(alice.photo.path) and not os.path.exists(first)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interests": ["no-such-category"]}, "有效"),
        ({"availability": ["sat-night"]}, "有效"),
        ({"skills": ",".join(f"技能{n}" for n in range(25))}, "最多 20 项"),
        ({"photo": SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg")}, "请上传照片"),
    ],
)
def test_profile_edit_explains_bad_input_and_saves_nothing(client, alice, data, message):
    client.force_login(alice.user)
    response = client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    alice.refresh_from_db()
    assert alice.skills == [] and alice.interests == [] and not alice.photo


def test_too_big_photo_is_refused(client, alice, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 100)
    client.force_login(alice.user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"photo": SimpleUploadedFile("me.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 400 and "5 MB" in response.content.decode()


# --- export ------------------------------------------------------------------------------------


def test_export_gives_the_owner_everything_with_the_id_in_clear(client, alice, org):
    from gongyi.orgs.models import Membership

    Membership.objects.create(organisation=org, user=alice.user, status="active")
    create_api_token(user=alice.user, name="script")
    client.force_login(alice.user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["phone"] == alice.user.phone
    assert data["volunteer"]["id_number"] == ID_NUMBER
    assert data["volunteer"]["number"] == alice.number
    assert data["memberships"][0]["organisation"] == org.name
    assert data["api_tokens"][0]["name"] == "script"
    actions = {e["action"] for e in data["audit_log"]}
    assert {"volunteer.registered", "account.token_created"} <= actions


def test_export_of_an_outsider_holds_only_their_own_data(client, alice, outsider):
    client.force_login(outsider)
    body = client.get(reverse("accounts:export")).content.decode()
    data = json.loads(body)
    assert data["account"]["phone"] == outsider.phone and data["volunteer"] is None
    assert ID_NUMBER not in body and alice.number not in body and alice.user.phone not in body


def test_nobody_exports_someone_else(alice, city_admin):
    from django.core.exceptions import PermissionDenied

    from gongyi.accounts.selectors import export_personal_data

    with pytest.raises(PermissionDenied):
        export_personal_data(viewer=city_admin, user=alice.user)


# --- closing -----------------------------------------------------------------------------------


def test_close_account_anonymises_and_logs_out(client, alice, django_capture_on_commit_callbacks):
    user = alice.user
    create_api_token(user=user, name="script")
    client.force_login(user)
    client.post(
        reverse("accounts:profile_edit"),
        {"photo": SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")},
    )
    alice.refresh_from_db()
    photo_path = alice.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:close"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not get_user(client).is_authenticated
    user.refresh_from_db()
    alice.refresh_from_db()
    assert not user.is_active and user.closed_at and user.phone.startswith("closed-")
    assert not user.has_usable_password()
    assert alice.real_name == "已注销"
    assert alice.id_number_encrypted == "" and alice.id_number_hash is None
    assert alice.id_number_masked == "" and not alice.photo
    assert not os.path.exists(photo_path)
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="account.closed", actor=user).exists()
    # The same person may register again, with a new account.
    again = register(make_user(), id_number=ID_NUMBER)
    assert again.number != alice.number


def test_close_needs_the_password_and_the_tick(client, alice):
    client.force_login(alice.user)
    wrong = client.post(reverse("accounts:close"), {"password": "wrong", "confirm": "on"})
    assert wrong.status_code == 400 and "密码不正确" in wrong.content.decode()
    unticked = client.post(reverse("accounts:close"), {"password": PASSWORD})
    assert unticked.status_code == 400
    assert User.objects.get(pk=alice.user_id).is_active


def test_closed_account_cannot_log_in(client, alice):
    phone = alice.user.phone
    client.force_login(alice.user)
    client.post(reverse("accounts:close"), {"password": PASSWORD, "confirm": "on"})
    response = client.post(reverse("accounts:login"), {"username": phone, "password": PASSWORD})
    assert response.status_code == 200 and not get_user(client).is_authenticated
