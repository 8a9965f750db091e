"""`manage.py demo` builds a coherent city and is safe to run twice."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from stdnum.cn import ric, uscc

from gongyi.accounts.models import StaffRole, User, Volunteer
from gongyi.core.crypto import decrypt
from gongyi.demo.builder import DEMO_PASSWORD, LOGINS
from gongyi.orgs.models import Membership, Organisation
from gongyi.regions.models import Region

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [User, Volunteer, StaffRole, Organisation, Membership, Region]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo_output() -> str:
    out = io.StringIO()
    call_command("demo", volunteers=60, stdout=out)
    return out.getvalue()


def test_demo_is_safe_to_run_twice(demo_output):
    first = counts()
    out = io.StringIO()
    call_command("demo", volunteers=60, stdout=out)
    assert counts() == first
    assert "already loaded" in out.getvalue()


def test_demo_prints_a_login_for_each_role(demo_output):
    for login in LOGINS:
        assert login.phone in demo_output
        assert authenticate(username=login.phone, password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in demo_output


def test_demo_people_have_valid_encrypted_ids(demo_output):
    volunteers = Volunteer.objects.all()
    assert volunteers.count() == 61  # the named volunteer and 60 others
    for volunteer in volunteers:
        number = decrypt(volunteer.id_number_encrypted)
        assert ric.is_valid(number)
        assert volunteer.id_number_masked == number[:4] + "*" * 10 + number[-4:]
        if volunteer.age_on(volunteer.registered_at.date()) < 18:
            assert volunteer.guardian_name and volunteer.guardian_consent_at


def test_demo_has_every_kind_of_organisation_in_both_cities(demo_output):
    for city_code in ("31", "5101"):
        kinds = set(
            Organisation.objects.filter(district__city__code=city_code).values_list(
                "kind", flat=True
            )
        )
        assert kinds == set(Organisation.Kind.values)
    for org in Organisation.objects.exclude(credit_code=None):
        assert uscc.is_valid(org.credit_code)
    teams = Organisation.objects.filter(kind="community_team")
    assert not teams.filter(community=None).exists()
    assert Organisation.objects.filter(status="pending").exists()


def test_every_demo_organisation_has_an_admin(demo_output):
    without_admin = Organisation.objects.exclude(
        memberships__role="admin", memberships__status="active"
    )
    assert not without_admin.exists()
