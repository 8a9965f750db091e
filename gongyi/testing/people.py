"""The people and places tests name: a city, two districts, and one person per role.

Built directly (not through services) so every app's tests can stand on them.
"""

import itertools

import pytest
from stdnum.cn import ric, uscc

from gongyi.accounts.identity import RESIDENT_ID, check_id_number
from gongyi.accounts.models import StaffRole, User, Volunteer
from gongyi.core.crypto import encrypt
from gongyi.orgs.models import Membership, Organisation
from gongyi.regions.models import Region

PASSWORD = "Gongyi-test-2026"
_phones = itertools.count(13800000001)
_numbers = itertools.count(1)


def make_user(**extra) -> User:
    return User.objects.create_user(str(next(_phones)), PASSWORD, **extra)


def make_volunteer(user: User | None = None, *, id_number: str = "", **extra) -> Volunteer:
    """A registered volunteer with a resident ID (a valid synthetic one unless given)."""
    user = user or make_user()
    n = next(_numbers)
    if len(id_number) != 18:
        body = id_number[:17] if id_number else f"11010119900101{n % 1000:03d}"
        id_number = body + ric.calc_check_digit(body + "0")  # it expects a check digit in place
    identity = check_id_number(RESIDENT_ID, id_number)
    fields = dict(
        user=user,
        number=f"V{n:010d}",
        real_name=extra.pop("real_name", "袁小明"),
        id_type=Volunteer.IdType.RESIDENT_ID,
        id_number_encrypted=encrypt(identity.number),
        id_number_hash=identity.lookup_key,
        id_number_masked=identity.masked,
        gender=identity.gender,
        birth_date=identity.birth_date,
    )
    fields.update(extra)
    return Volunteer.objects.create(**fields)


@pytest.fixture
def city(db) -> Region:
    return Region.objects.create(code="31", name="上海市", level=Region.Level.CITY)


@pytest.fixture
def district(city) -> Region:
    return Region.objects.create(
        code="310101", name="黄浦区", level=Region.Level.DISTRICT, parent=city, city=city
    )


@pytest.fixture
def other_district(city) -> Region:
    return Region.objects.create(
        code="310104", name="徐汇区", level=Region.Level.DISTRICT, parent=city, city=city
    )


@pytest.fixture
def street(district) -> Region:
    return Region.objects.create(
        code="310101002",
        name="南京东路街道",
        level=Region.Level.STREET,
        parent=district,
        city=district.city,
    )


@pytest.fixture
def community(street) -> Region:
    return Region.objects.create(
        code="310101002001",
        name="贵州路居委会",
        level=Region.Level.COMMUNITY,
        parent=street,
        city=street.city,
    )


@pytest.fixture
def outsider(db) -> User:
    """Logged in, no role anywhere."""
    return make_user()


@pytest.fixture
def volunteer(db) -> Volunteer:
    return make_volunteer()


@pytest.fixture
def city_admin(city) -> User:
    user = make_user(display_name="市管理员")
    StaffRole.objects.create(user=user, role=StaffRole.Role.CITY_ADMIN, region=city)
    return user


@pytest.fixture
def district_admin(district) -> User:
    user = make_user(display_name="黄浦区管理员")
    StaffRole.objects.create(user=user, role=StaffRole.Role.DISTRICT_ADMIN, region=district)
    return user


@pytest.fixture
def other_district_admin(other_district) -> User:
    user = make_user(display_name="徐汇区管理员")
    StaffRole.objects.create(user=user, role=StaffRole.Role.DISTRICT_ADMIN, region=other_district)
    return user


def make_org(district: Region, *, admin: User | None = None, **extra) -> Organisation:
    fields = dict(
        name=f"阳光志愿者协会{next(_numbers)}",
        kind=Organisation.Kind.ASSOCIATION,
        district=district,
        address="南京东路100号",
        contact_name="王建国",
        contact_phone="13912345678",
        status=Organisation.Status.VERIFIED,
    )
    fields.update(extra)
    if fields["kind"] in Organisation.KINDS_WITH_CREDIT_CODE and "credit_code" not in extra:
        body = f"51{district.code[:6]:0<6}{next(_numbers):09d}"
        fields["credit_code"] = body + uscc.calc_check_digit(body)
    org = Organisation.objects.create(**fields)
    if admin is not None:
        Membership.objects.create(
            organisation=org, user=admin, role=Membership.Role.ADMIN, status="active"
        )
    return org


@pytest.fixture
def org_admin(db) -> User:
    return make_user(display_name="组织管理员")


@pytest.fixture
def org(district, org_admin) -> Organisation:
    """A verified association in `district`, run by `org_admin`."""
    return make_org(district, admin=org_admin)
