"""Volunteer registration: real name, one person one account, the age rules, the number."""

import datetime
import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from gongyi.accounts import selectors, services
from gongyi.accounts.models import Volunteer
from gongyi.accounts.tests.helpers import TODAY, register, resident_id, resident_id_ending_in_x
from gongyi.core.crypto import decrypt
from gongyi.core.errors import ServiceError
from gongyi.core.models import AuditEntry
from gongyi.testing.people import make_user


def born_years_ago(years: int, days_after: int = 0) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) + datetime.timedelta(days=days_after)


def refused(code: str, **kwargs):
    with pytest.raises(ServiceError) as caught:
        register(**kwargs)
    assert caught.value.code == code
    return caught.value


def test_registration_stores_the_id_encrypted_hashed_and_masked(outsider):
    number = resident_id(datetime.date(1990, 1, 1), order=3)
    volunteer = register(outsider, id_number=number)
    assert decrypt(volunteer.id_number_encrypted) == number
    assert volunteer.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert volunteer.gender == "M" and volunteer.birth_date == datetime.date(1990, 1, 1)
    assert volunteer.privacy_consent_at is not None
    entry = AuditEntry.objects.get(action="volunteer.registered")
    assert entry.actor == outsider and entry.target_id == str(volunteer.pk)


def test_volunteer_number_is_v_and_ten_digits_and_unique(db):
    numbers = {
        register(make_user(), id_number=resident_id(TODAY.replace(year=1980), n)).number
        for n in range(1, 6)
    }
    assert len(numbers) == 5
    assert all(re.fullmatch(r"V\d{10}", n) for n in numbers)


def test_volunteer_number_draws_again_on_collision(db, monkeypatch):
    first = register(make_user())
    drawn = iter([first.number, first.number, "V0000000042"])
    monkeypatch.setattr(services, "new_volunteer_number", lambda: next(drawn))
    second = register(make_user(), id_number=resident_id(datetime.date(1991, 1, 1)))
    assert second.number == "V0000000042"


def test_same_id_cannot_register_twice_whatever_the_case_of_x(db):
    number = resident_id_ending_in_x(datetime.date(1985, 5, 5))
    register(make_user(), id_number=number)
    error = refused("id_taken", user=make_user(), id_number=number[:-1] + "x")
    assert error.field == "id_number"
    assert Volunteer.objects.count() == 1


def test_a_lost_race_on_the_same_id_gives_the_same_friendly_error(db, monkeypatch):
    number = resident_id(datetime.date(1985, 5, 5))
    register(make_user(), id_number=number)
    # The other request passed its check before this one committed: only the constraint is left.
    checks = iter([False, True])
    monkeypatch.setattr(selectors, "id_number_taken", lambda key: next(checks))
    refused("id_taken", user=make_user(), id_number=number)
    assert Volunteer.objects.count() == 1


def test_a_user_registers_only_once(outsider):
    register(outsider)
    refused("already_registered", user=outsider, id_number=resident_id(TODAY.replace(year=1970)))


def test_under_14_is_refused(outsider):
    refused("too_young", user=outsider, id_number=resident_id(born_years_ago(14, days_after=1)))
    assert not Volunteer.objects.exists()


def test_14_today_is_enough_with_a_guardian(outsider):
    volunteer = register(
        outsider,
        id_number=resident_id(born_years_ago(14)),
        guardian_name="袁大明",
        guardian_phone="13912345678",
        guardian_consent=True,
    )
    assert volunteer.guardian_consent_at is not None


@pytest.mark.parametrize(
    ("guardian", "code"),
    [
        ({}, "guardian_required"),
        ({"guardian_name": "袁大明"}, "phone_invalid"),
        ({"guardian_name": "袁大明", "guardian_phone": "12345"}, "phone_invalid"),
        ({"guardian_name": "袁大明", "guardian_phone": "13912345678"}, "guardian_consent_required"),
    ],
)
def test_15_without_a_full_guardian_is_refused(outsider, guardian, code):
    refused(code, user=outsider, id_number=resident_id(born_years_ago(15)), **guardian)
    assert not Volunteer.objects.exists()


def test_15_with_guardian_is_registered(outsider):
    volunteer = register(
        outsider,
        id_number=resident_id(born_years_ago(15)),
        guardian_name="袁大明",
        guardian_phone="13912345678",
        guardian_consent=True,
    )
    assert volunteer.guardian_name == "袁大明"


def test_18_needs_no_guardian_and_keeps_none(outsider):
    volunteer = register(
        outsider, id_number=resident_id(born_years_ago(18)), guardian_name="not needed"
    )
    assert volunteer.guardian_name == "" and volunteer.guardian_consent_at is None


def test_passport_needs_birth_date_and_gender(outsider):
    base = dict(user=outsider, id_type="passport", id_number="E12345678", real_name="Alice Smith")
    refused("birth_date_invalid", **base)
    refused("gender_invalid", **base, birth_date=datetime.date(1990, 1, 1))
    refused("too_young", **base, birth_date=born_years_ago(10), gender="F")
    volunteer = register(**base, birth_date=datetime.date(1990, 1, 1), gender="F")
    assert volunteer.gender == "F" and volunteer.id_number_masked == "E1*****78"


@pytest.mark.parametrize("name", ["", "袁", "袁2明", "x" * 51, "<script>"])
def test_real_name_must_look_like_a_name(outsider, name):
    refused("name_invalid", user=outsider, real_name=name)


def test_privacy_consent_is_required(outsider):
    refused("consent_required", user=outsider, privacy_consent=False)


def test_home_region_must_be_below_the_city(outsider, city, street):
    refused("region_invalid", user=outsider, home_region=city)
    assert register(outsider, home_region=street).home_region == street


def text_values_of_every_row():
    """Every text and JSON value of every table, as strings."""
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*fields):
            yield from (str(value) for value in row if value)


def test_the_raw_id_number_is_nowhere_in_the_database(client, outsider, district):
    number = resident_id_ending_in_x(datetime.date(1988, 8, 8))
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:register_volunteer"),
        {
            "real_name": "袁小明",
            "id_type": "resident_id",
            "id_number": number.lower(),
            "home_district": district.pk,
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    passport_user = make_user()
    register(
        passport_user,
        id_type="passport",
        id_number="G98765432",
        birth_date=datetime.date(1980, 1, 1),
        gender="M",
    )
    values = list(text_values_of_every_row())
    for secret in (number, number.lower(), number[:17], "G98765432"):
        assert not any(secret in value for value in values), secret
    if connection.vendor == "sqlite":
        dump = "\n".join(connection.connection.iterdump())
        assert number not in dump and number.lower() not in dump and number[:17] not in dump
