"""Sign-up with an SMS code, log in and out, change and reset the password."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from gongyi.accounts.models import User
from gongyi.accounts.tests.helpers import last_code
from gongyi.core.models import AuditEntry
from gongyi.testing.people import PASSWORD, make_user

NEW_PHONE = "13712345678"
NEW_PASSWORD = "Xin-mima-2026!"


def ask_code(client, phone=NEW_PHONE, purpose="signup"):
    return client.post(reverse("accounts:send_code"), {"phone": phone, "purpose": purpose})


def sign_up(client, code, phone=NEW_PHONE, password=NEW_PASSWORD, password2=None):
    return client.post(
        reverse("accounts:signup"),
        {"phone": phone, "code": code, "password1": password, "password2": password2 or password},
    )


def test_signup_page_is_in_chinese_by_default_and_english_on_request(client, db):
    assert "注册" in client.get(reverse("accounts:signup")).content.decode()
    english = client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign up with your mobile number" in english.content.decode()


def test_signup_with_the_texted_code(client, outbox, db):
    response = ask_code(client)
    assert response.status_code == 302
    code = last_code(outbox, NEW_PHONE)
    assert NEW_PHONE in client.get(reverse("accounts:signup")).content.decode()  # prefilled
    response = sign_up(client, code)
    assert response.status_code == 302 and response.url == reverse("accounts:me")
    user = User.objects.get(phone=NEW_PHONE)
    assert user.check_password(NEW_PASSWORD)
    assert get_user(client).pk == user.pk
    assert AuditEntry.objects.filter(action="account.signed_up", actor=user).exists()


def test_the_code_is_stored_only_hashed(client, outbox, db):
    from django.core.cache import cache

    ask_code(client)
    code = last_code(outbox, NEW_PHONE)
    stored = cache.get(f"accounts:sms-code:signup:{NEW_PHONE}")
    assert code not in str(stored)


def test_wrong_code_is_refused_and_creates_nothing(client, outbox, db):
    ask_code(client)
    code = last_code(outbox, NEW_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    response = sign_up(client, wrong)
    assert response.status_code == 400
    assert "验证码错误或已过期" in response.content.decode()
    assert not User.objects.filter(phone=NEW_PHONE).exists()


def test_expired_code_is_refused(client, outbox, settings, db):
    settings.SMS_CODE_TTL_SECONDS = 0  # the code expires as soon as it is stored
    ask_code(client)
    response = sign_up(client, last_code(outbox, NEW_PHONE))
    assert response.status_code == 400
    assert not User.objects.filter(phone=NEW_PHONE).exists()


def test_a_code_works_once(client, outbox, db):
    ask_code(client)
    code = last_code(outbox, NEW_PHONE)
    sign_up(client, code)
    client.logout()
    User.objects.filter(phone=NEW_PHONE).delete()
    assert sign_up(client, code).status_code == 400


def test_guessing_kills_the_code(client, outbox, db):
    ask_code(client)
    code = last_code(outbox, NEW_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        sign_up(client, wrong)
    assert sign_up(client, code).status_code == 400


def test_codes_are_rate_limited_per_phone(client, outbox, db):
    ask_code(client)
    response = ask_code(client, purpose="signup")
    assert len(outbox) == 1
    assert "请稍等" in client.get(response.url).content.decode()


def test_codes_are_rate_limited_per_ip(client, outbox, db):
    for n in range(25):
        ask_code(client, phone=f"1370000{n:04d}")
    assert len(outbox) == 20


@pytest.mark.parametrize("phone", ["", "12345678901", "1381234567", "138123456789", "abc"])
def test_bad_phone_gets_no_code(client, outbox, db, phone):
    response = ask_code(client, phone=phone)
    assert response.status_code == 302 and outbox == []


def test_taken_phone_is_told_at_once(client, outbox, outsider):
    response = ask_code(client, phone=outsider.phone)
    assert outbox == []
    assert "已有账号" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("password", "password2", "message"),
    [("123", None, "密码"), ("password", None, "密码"), (NEW_PASSWORD, "other-Pass-1", "不一致")],
)
def test_weak_or_mismatched_passwords_are_refused(client, outbox, db, password, password2, message):
    ask_code(client)
    response = sign_up(client, last_code(outbox, NEW_PHONE), password=password, password2=password2)
    assert response.status_code == 400 and message in response.content.decode()
    assert not User.objects.filter(phone=NEW_PHONE).exists()


def test_signup_form_with_junk_is_a_clear_error(client, db):
    response = client.post(reverse("accounts:signup"), {"phone": "x" * 5000})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_send_code_wants_post(client, db):
    assert client.get(reverse("accounts:send_code")).status_code == 405


def test_login_and_logout(client, outsider):
    response = client.post(
        reverse("accounts:login"), {"username": outsider.phone, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert get_user(client).pk == outsider.pk
    client.post(reverse("accounts:logout"))
    assert not get_user(client).is_authenticated


def test_login_with_a_wrong_password_is_refused(client, outsider):
    response = client.post(
        reverse("accounts:login"), {"username": outsider.phone, "password": "wrong"}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not get_user(client).is_authenticated


def test_password_change(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password(NEW_PASSWORD)
    assert get_user(client).pk == outsider.pk  # still logged in
    assert AuditEntry.objects.filter(action="account.password_changed", actor=outsider).exists()


def test_password_change_needs_the_old_password(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)


def test_password_change_refuses_a_visitor(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_password_reset_with_the_texted_code(client, outbox, outsider):
    ask_code(client, phone=outsider.phone, purpose="reset")
    code = last_code(outbox, outsider.phone)
    response = client.post(
        reverse("accounts:password_reset"),
        {
            "phone": outsider.phone,
            "code": code,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="account.password_reset", actor=outsider).exists()


def test_reset_code_of_another_purpose_does_not_work(client, outbox, outsider):
    other = make_user()
    ask_code(client, phone=NEW_PHONE)  # a sign-up code
    response = client.post(
        reverse("accounts:password_reset"),
        {
            "phone": NEW_PHONE,
            "code": last_code(outbox, NEW_PHONE),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert not other.check_password(NEW_PASSWORD)


def test_reset_does_not_tell_whether_a_number_has_an_account(client, outbox, db):
    response = ask_code(client, phone=NEW_PHONE, purpose="reset")
    assert outbox == []  # nothing to send to
    assert "验证码已发送" in client.get(response.url).content.decode()


def test_reset_with_a_wrong_code_changes_nothing(client, outbox, outsider):
    ask_code(client, phone=outsider.phone, purpose="reset")
    response = client.post(
        reverse("accounts:password_reset"),
        {
            "phone": outsider.phone,
            "code": "abcdef",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    outsider.refresh_from_db()
    assert outsider.check_password(PASSWORD)
