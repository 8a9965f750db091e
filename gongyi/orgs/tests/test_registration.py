"""Registering an organisation: the credit code, teams and communities, duplicates, the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from gongyi.core.errors import ServiceError
from gongyi.core.models import AuditEntry
from gongyi.orgs import services
from gongyi.orgs.models import Membership, Organisation
from gongyi.orgs.tests.conftest import credit_code, image_upload, org_fields
from gongyi.orgs.validators import clean_credit_code, clean_phone
from gongyi.regions.models import Region


def test_a_valid_credit_code_is_accepted_and_normalised():
    assert clean_credit_code("91350100M000100Y43", kind="association") == "91350100M000100Y43"
    assert clean_credit_code(" 91350100m000100y43 ", kind="school") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("91350100M000100Y44", "check character"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100Y431", "18 characters"),
        ("9135010OM000100Y43", "8 digits"),
        ("91350100M000100I43", "capital letters other than I"),
    ],
)
def test_a_bad_credit_code_gets_a_clear_message(code, words):
    with translation.override("en"):
        with pytest.raises(ServiceError) as error:
            clean_credit_code(code, kind="enterprise")
        assert words in str(error.value.message)  # lazy: read while English is active
    assert error.value.code == "credit_code_invalid"
    assert error.value.field == "credit_code"


def test_the_credit_code_message_is_chinese_by_default():
    with pytest.raises(ServiceError) as error:
        clean_credit_code("91350100M000100Y44", kind="enterprise")
    assert "校验" in str(error.value.message)


@pytest.mark.parametrize("kind", ["association", "government", "enterprise", "school"])
def test_registered_bodies_need_a_credit_code(kind):
    with pytest.raises(ServiceError) as error:
        clean_credit_code("", kind=kind)
    assert error.value.code == "credit_code_required"


@pytest.mark.parametrize("kind", ["community_team", "professional_team", "special_team"])
def test_volunteer_teams_refuse_a_credit_code(kind):
    with pytest.raises(ServiceError) as error:
        clean_credit_code("91350100M000100Y43", kind=kind)
    assert error.value.code == "credit_code_not_allowed"
    assert clean_credit_code("", kind=kind) is None


@pytest.mark.parametrize(
    "phone", ["13912345678", "+86 139 1234 5678", "021-63201234", "02863201234"]
)
def test_mobile_and_landline_numbers_are_accepted(phone):
    assert clean_phone(phone)


@pytest.mark.parametrize("phone", ["12345678901", "1391234567", "63201234", "abc", ""])
def test_other_phone_numbers_are_refused(phone):
    with pytest.raises(ServiceError):
        clean_phone(phone)


def test_registration_creates_a_pending_org_run_by_the_applicant(applicant, district):
    org = services.org_register(actor=applicant, **org_fields(district))
    assert org.status == Organisation.Status.PENDING
    assert not org.can_publish
    membership = Membership.objects.get(organisation=org)
    assert (membership.user, membership.role, membership.status) == (applicant, "admin", "active")
    assert AuditEntry.objects.filter(action="org.registered", target_id=str(org.pk)).exists()


def test_a_duplicate_credit_code_is_refused(applicant, district, other_district):
    code = credit_code()
    services.org_register(actor=applicant, **org_fields(district, credit_code=code))
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **org_fields(other_district, credit_code=code))
    assert error.value.code == "credit_code_taken"
    assert Organisation.objects.count() == 1


def test_a_duplicate_name_in_the_district_is_refused(applicant, district):
    services.org_register(actor=applicant, **org_fields(district, name="同名协会"))
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **org_fields(district, name="同名协会"))
    assert error.value.code == "name_taken"


def test_a_community_team_needs_a_community_in_its_district(applicant, district, community):
    fields = org_fields(district, kind="community_team", credit_code="")
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **fields)
    assert error.value.code == "community_required"
    org = services.org_register(actor=applicant, **{**fields, "community": community})
    assert org.community == community


def test_a_community_of_another_district_is_refused(applicant, district, other_district, community):
    fields = org_fields(other_district, kind="community_team", credit_code="", community=community)
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **fields)
    assert error.value.code == "community_outside_district"


def test_a_street_is_not_a_community(applicant, district, street):
    fields = org_fields(district, kind="community_team", credit_code="", community=street)
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **fields)
    assert error.value.code == "community_outside_district"


def test_other_kinds_refuse_a_community(applicant, district, community):
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **org_fields(district, community=community))
    assert error.value.code == "community_not_allowed"
    assert not Organisation.objects.exists()


def test_the_database_refuses_a_team_without_community_and_others_with_one(district, community):
    base = dict(district=district, address="x", contact_name="x", contact_phone="13900000000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="a", kind="community_team", **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="b", kind="school", community=community, **base)


def test_a_city_is_not_a_district(applicant, city):
    with pytest.raises(ServiceError) as error:
        services.org_register(actor=applicant, **org_fields(city))
    assert error.value.code == "district_invalid"


# --- the page -------------------------------------------------------------------------------


def form_data(district, **changes):
    data = org_fields(district, **changes)
    data["district"] = district.pk
    data["community"] = data["community"].pk if data["community"] else ""
    return data


def test_the_register_page_asks_a_visitor_to_log_in(client, db):
    response = client.get(reverse("orgs:register"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_register_page_is_in_chinese(client, applicant, district):
    client.force_login(applicant)
    html = client.get(reverse("orgs:register")).content.decode()
    assert "统一社会信用代码" in html


def test_registering_through_the_page(client, applicant, district):
    client.force_login(applicant)
    data = form_data(district, name="页面注册协会")
    data["logo"] = image_upload()
    response = client.post(reverse("orgs:register"), data)
    org = Organisation.objects.get(name="页面注册协会")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", args=[org.pk])
    assert org.logo.name.endswith(".png")
    assert org.created_by == applicant


def test_bad_input_on_the_page_shows_errors_and_changes_nothing(client, applicant, district):
    client.force_login(applicant)
    data = form_data(district, credit_code="91350100M000100Y44", contact_phone="12345")
    response = client.post(reverse("orgs:register"), data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "check character" in html
    assert "mobile number" in html
    assert not Organisation.objects.exists()


def test_a_fake_image_is_refused_as_logo(client, applicant, district):
    client.force_login(applicant)
    data = form_data(district)
    data["logo"] = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(reverse("orgs:register"), data)
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_a_team_with_a_credit_code_is_refused_on_the_page(client, applicant, district):
    client.force_login(applicant)
    data = form_data(district, kind="special_team")
    response = client.post(reverse("orgs:register"), data)
    assert response.status_code == 200
    assert "志愿服务队" in response.content.decode() or "信用代码" in response.content.decode()
    assert not Organisation.objects.exists()


def test_regions_of_the_wrong_level_are_not_offered(client, applicant, district, community):
    client.force_login(applicant)
    data = form_data(district, kind="community_team", credit_code="")
    data["community"] = district.pk  # a district posted as a community
    response = client.post(reverse("orgs:register"), data)
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert Region.objects.filter(level=Region.Level.COMMUNITY).count() == 1
