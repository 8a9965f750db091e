"""`manage.py demo` builds a coherent city and is safe to run twice."""

import io
import itertools

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Q
from stdnum.cn import ric, uscc

from gongyi.accounts.models import StaffRole, User, Volunteer
from gongyi.core.crypto import decrypt
from gongyi.demo.builder import DEMO_PASSWORD, LOGINS
from gongyi.orgs.models import Membership, Organisation
from gongyi.projects.models import Project, Shift
from gongyi.regions.models import Region
from gongyi.signups.models import Signup

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [User, Volunteer, StaffRole, Organisation, Membership, Region]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def demo_output() -> str:
    out = io.StringIO()
    call_command("demo", volunteers=60, projects=40, stdout=out)
    return out.getvalue()


def test_demo_is_safe_to_run_twice(demo_output):
    first = counts()
    out = io.StringIO()
    call_command("demo", volunteers=60, projects=40, stdout=out)
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


def test_demo_signups_keep_the_invariants(demo_output):
    shifts = Shift.objects.annotate(
        confirmed=Count("signups", filter=Q(signups__status="confirmed"))
    )
    assert Signup.objects.filter(status="confirmed").exists()
    for shift in shifts:
        assert shift.taken == shift.confirmed  # invariant 5: the counter is derivable
        assert shift.capacity is None or shift.taken <= shift.capacity  # invariant 1
    confirmed = Signup.objects.filter(status="confirmed").select_related("shift")
    by_volunteer: dict[int, list] = {}
    for signup in confirmed:
        by_volunteer.setdefault(signup.volunteer_id, []).append(signup.shift)
    for own in by_volunteer.values():  # invariant 3: no two overlapping confirmed shifts
        own.sort(key=lambda s: s.starts_at)
        assert all(a.ends_at <= b.starts_at for a, b in itertools.pairwise(own))


def test_demo_volunteer_login_has_signups(demo_output):
    assert Signup.objects.filter(volunteer__user__phone="13900000007").exists()


def test_demo_has_projects_in_both_cities(demo_output):
    for city_code in ("31", "5101"):
        assert Project.objects.filter(district__city__code=city_code, status="published").exists()
