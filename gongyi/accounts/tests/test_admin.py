"""The admin: phone-based users, volunteers searchable by number and by exact ID number."""

import datetime

import pytest
from django.urls import reverse

from gongyi.accounts.tests.helpers import register, resident_id, resident_id_ending_in_x
from gongyi.testing.people import make_user

ID_NUMBER = resident_id_ending_in_x(datetime.date(1975, 7, 7))


@pytest.fixture
def superuser(db):
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def alice(db):
    return register(make_user(), id_number=ID_NUMBER)


@pytest.mark.parametrize("model", ["user", "volunteer", "staffrole", "apitoken"])
def test_admin_lists_open_in_chinese(client, superuser, alice, model):
    client.force_login(superuser)
    response = client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 200
    assert "账号与志愿者" in response.content.decode()


def test_volunteer_change_page_never_shows_the_cipher(client, superuser, alice):
    client.force_login(superuser)
    page = client.get(reverse("admin:accounts_volunteer_change", args=[alice.pk])).content
    page = page.decode()
    assert alice.id_number_masked in page
    assert alice.id_number_encrypted not in page and alice.id_number_hash not in page
    assert ID_NUMBER not in page


def test_volunteer_found_by_number_and_by_exact_id_number(client, superuser, alice):
    other = register(make_user(), id_number=resident_id(datetime.date(1976, 1, 1)))
    client.force_login(superuser)
    url = reverse("admin:accounts_volunteer_changelist")
    by_number = client.get(url, {"q": alice.number}).content.decode()
    assert alice.number in by_number and other.number not in by_number
    by_id = client.get(url, {"q": ID_NUMBER.lower()}).content.decode()
    assert alice.number in by_id and other.number not in by_id


def test_add_user_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"phone": "13512345678", "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!"},
    )
    assert response.status_code == 302
    from gongyi.accounts.models import User

    assert User.objects.get(phone="13512345678").check_password("Xin-mima-2026!")


def test_outsider_cannot_open_the_admin(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("admin:accounts_volunteer_changelist"))
    assert response.status_code == 302 and "login" in response.url
