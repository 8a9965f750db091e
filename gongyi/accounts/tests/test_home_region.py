"""The home region: district → street → community in cascading selects, checked as a chain."""

import datetime
import re

import pytest
from django.urls import reverse

from gongyi.accounts import services
from gongyi.accounts.models import Volunteer
from gongyi.accounts.tests.helpers import register, resident_id
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.testing.people import make_user

ID_NUMBER = resident_id(datetime.date(1990, 1, 1), order=7)


def make_region(code: str, name: str, parent: Region) -> Region:
    return Region.objects.create(
        code=code, name=name, level=parent.level + 1, parent=parent, city=parent.city
    )


@pytest.fixture
def far_street(other_district) -> Region:
    """A street of the other district (徐汇区)."""
    return make_region("310104001", "湖南路街道", other_district)


@pytest.fixture
def far_community(far_street) -> Region:
    return make_region("310104001001", "东湖居委会", far_street)


@pytest.fixture
def next_street(district) -> Region:
    """Another street of the same district, with its own community."""
    return make_region("310101013", "外滩街道", district)


@pytest.fixture
def next_community(next_street) -> Region:
    return make_region("310101013001", "中山东一路居委会", next_street)


@pytest.fixture
def alice(district) -> Volunteer:
    """A volunteer living in the district (no street or community named)."""
    return register(make_user(), id_number=ID_NUMBER, home_district=district)


def registration_data(**change) -> dict:
    return {
        "real_name": "袁小明",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "privacy_consent": "on",
        **change,
    }


def selected(page: str, name: str) -> str | None:
    """The value of the selected option of the select `name` in the page."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)[0]
    chosen = re.search(r'<option value="([^"]*)" selected>', select)
    return chosen[1] if chosen else None


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)[0]
    return [v for v in re.findall(r'<option value="([^"]*)"', select) if v]


# --- the service checks the chain ---------------------------------------------------------------


def test_the_most_specific_region_chosen_is_stored(outsider, district, street, community):
    volunteer = register(
        outsider, home_district=district, home_street=street, home_community=community
    )
    assert volunteer.home_region == community


def test_district_alone_or_with_its_street(district, street):
    assert services.check_home_region(district=district) == district
    assert services.check_home_region(district=district, street=street) == street
    assert services.check_home_region() is None


def test_a_community_without_a_street_must_still_be_in_the_district(
    district, community, far_community
):
    assert services.check_home_region(district=district, community=community) == community
    with pytest.raises(ServiceError) as caught:
        services.check_home_region(district=district, community=far_community)
    assert caught.value.code == "region_invalid" and caught.value.field == "home_community"


def test_a_street_outside_the_district_is_refused_and_nothing_is_saved(
    outsider, district, far_street
):
    with pytest.raises(ServiceError) as caught:
        register(outsider, home_district=district, home_street=far_street)
    assert caught.value.code == "region_invalid" and caught.value.field == "home_street"
    assert "湖南路街道" in str(caught.value.message) and "黄浦区" in str(caught.value.message)
    assert not Volunteer.objects.exists()


def test_a_community_outside_the_street_is_refused(district, street, next_community):
    with pytest.raises(ServiceError) as caught:
        services.check_home_region(district=district, street=street, community=next_community)
    assert caught.value.field == "home_community"


def test_a_street_without_its_district_is_refused(street):
    with pytest.raises(ServiceError) as caught:
        services.check_home_region(street=street)
    assert caught.value.field == "home_district"


def test_levels_must_match_their_fields(district, street):
    with pytest.raises(ServiceError):
        services.check_home_region(district=street)
    with pytest.raises(ServiceError):
        services.check_home_region(district=district, street=district)


def test_profile_update_with_a_bad_chain_changes_nothing(alice, district, far_street):
    with pytest.raises(ServiceError):
        services.update_profile(
            volunteer=alice, skills="急救", home_district=district, home_street=far_street
        )
    alice.refresh_from_db()
    assert alice.home_region == district and alice.skills == []


# --- the registration page ----------------------------------------------------------------------


def test_registration_page_cascades_with_htmx(client, outsider, district, street):
    client.force_login(outsider)
    page = client.get(reverse("accounts:register_volunteer")).content.decode()
    assert 'hx-get="/regions/options/"' in page
    assert 'hx-target="#id_home_street"' in page and 'hx-target="#id_home_community"' in page
    # Nothing chosen yet: the lower selects wait for the district (no city-wide list).
    assert options(page, "home_district") == [str(district.pk)]
    assert options(page, "home_street") == [] and options(page, "home_community") == []


def test_registration_page_refuses_a_street_of_another_district(
    client, outsider, district, street, far_street
):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:register_volunteer"),
        registration_data(home_district=district.pk, home_street=far_street.pk),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "湖南路街道 不在黄浦区范围内" in page
    assert not Volunteer.objects.exists()
    # Re-rendered with the district kept and its streets listed, ready to choose again.
    assert selected(page, "home_district") == str(district.pk)
    assert options(page, "home_street") == [str(street.pk)]


def test_registration_page_refuses_a_community_of_another_street_in_english(
    client, outsider, district, street, community, next_community
):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:register_volunteer"),
        registration_data(
            home_district=district.pk, home_street=street.pk, home_community=next_community.pk
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "中山东一路居委会 is not in 南京东路街道." in page
    assert not Volunteer.objects.exists()
    assert selected(page, "home_district") == str(district.pk)
    assert selected(page, "home_street") == str(street.pk)
    assert options(page, "home_community") == [str(community.pk)]


def test_registration_page_keeps_the_choices_when_another_field_is_wrong(
    client, outsider, district, street, community
):
    client.force_login(outsider)
    chain = dict(home_district=district.pk, home_street=street.pk, home_community=community.pk)
    response = client.post(
        reverse("accounts:register_volunteer"), registration_data(real_name="1234", **chain)
    )
    assert response.status_code == 400
    page = response.content.decode()
    for name, value in chain.items():
        assert selected(page, name) == str(value)
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "999999", "1\x00"])
def test_registration_page_refuses_junk_region_ids(client, outsider, district, bad):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:register_volunteer"),
        registration_data(home_district=district.pk, home_street=bad),
    )
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


def test_registration_page_needs_a_district(client, outsider, street):
    client.force_login(outsider)
    response = client.post(
        reverse("accounts:register_volunteer"), registration_data(home_street=street.pk)
    )
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


# --- the profile page ---------------------------------------------------------------------------


def test_profile_page_shows_the_stored_chain(client, district, street, community):
    volunteer = register(make_user(), id_number=ID_NUMBER, home_region=community)
    client.force_login(volunteer.user)
    page = client.get(reverse("accounts:profile_edit")).content.decode()
    assert selected(page, "home_district") == str(district.pk)
    assert selected(page, "home_street") == str(street.pk)
    assert selected(page, "home_community") == str(community.pk)


def test_profile_page_saves_a_new_chain(client, alice, district, next_street, next_community):
    client.force_login(alice.user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "home_district": district.pk,
            "home_street": next_street.pk,
            "home_community": next_community.pk,
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.home_region == next_community


def test_profile_page_refuses_a_street_of_another_district_and_changes_nothing(
    client, alice, district, street, far_street
):
    client.force_login(alice.user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {"skills": "急救", "home_district": district.pk, "home_street": far_street.pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "湖南路街道 不在黄浦区范围内" in page
    assert options(page, "home_street") == [str(street.pk)]
    alice.refresh_from_db()
    assert alice.home_region == district and alice.skills == []


def test_profile_page_refuses_a_street_without_a_district(client, alice, district, street):
    client.force_login(alice.user)
    response = client.post(reverse("accounts:profile_edit"), {"home_street": street.pk})
    assert response.status_code == 400
    assert "请先选择所在区" in response.content.decode()
    alice.refresh_from_db()
    assert alice.home_region == district


def test_choosing_a_district_loads_its_streets_as_htmx_asks(client, district, street, community):
    """What the district select's hx-get/hx-vals send: the streets, and the community emptied."""
    response = client.get(
        reverse("regions:options"),
        {
            "from": "home_district",
            "key": "pk",
            "clear": "id_home_community",
            "home_district": district.pk,
        },
    )
    html = response.content.decode()
    assert f'<option value="{street.pk}">南京东路街道</option>' in html
    assert '<select id="id_home_community" hx-swap-oob="innerHTML">' in html
