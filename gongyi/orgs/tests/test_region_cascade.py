"""The organisation form's district → street → community selects, with and without JavaScript."""

import re

import pytest
from django.urls import reverse

from gongyi.orgs.models import Organisation
from gongyi.orgs.tests.conftest import form_data_for_edit, org_fields
from gongyi.regions.models import Region
from gongyi.testing.people import make_org


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
def next_community(district) -> Region:
    """A community of another street of the same district."""
    return make_region(
        "310101013001", "中山东一路居委会", make_region("310101013", "外滩街道", district)
    )


@pytest.fixture
def team(district, community, org_admin) -> Organisation:
    return make_org(
        district, admin=org_admin, kind=Organisation.Kind.COMMUNITY_TEAM, community=community
    )


def team_data(district, street=None, community=None, **changes) -> dict:
    data = org_fields(district, kind="community_team", credit_code="", **changes)
    data["district"] = district.pk
    data["street"] = street.pk if street else ""
    data["community"] = community.pk if community else ""
    return data


def select(page: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', page, re.S)[0]


def selected(page: str, name: str) -> str | None:
    chosen = re.search(r'<option value="([^"]*)" selected>', select(page, name))
    return chosen[1] if chosen else None


def options(page: str, name: str) -> list[str]:
    return [v for v in re.findall(r'<option value="([^"]*)"', select(page, name)) if v]


def test_the_register_page_cascades_with_htmx(client, applicant, district, community):
    client.force_login(applicant)
    page = client.get(reverse("orgs:register")).content.decode()
    assert 'hx-get="/regions/options/"' in page
    assert 'hx-target="#id_street"' in page and 'hx-target="#id_community"' in page
    # No district chosen yet: no street or community is listed.
    assert options(page, "street") == [] and options(page, "community") == []


def test_a_community_team_registers_through_the_chain(
    client, applicant, district, street, community
):
    client.force_login(applicant)
    data = team_data(district, street, community, name="贵州路社区志愿服务队")
    response = client.post(reverse("orgs:register"), data)
    assert response.status_code == 302
    assert Organisation.objects.get(name="贵州路社区志愿服务队").community == community


def test_without_javascript_the_street_may_be_left_out(client, applicant, district, community):
    client.force_login(applicant)
    response = client.post(reverse("orgs:register"), team_data(district, community=community))
    assert response.status_code == 302
    assert Organisation.objects.get().community == community


def test_a_street_of_another_district_is_refused(
    client, applicant, district, street, far_street, far_community
):
    client.force_login(applicant)
    response = client.post(reverse("orgs:register"), team_data(district, far_street, far_community))
    page = response.content.decode()
    assert response.status_code == 200
    assert "湖南路街道 不在黄浦区范围内" in page
    assert not Organisation.objects.exists()
    # Re-rendered for the chosen district: its streets are listed, ready to choose again.
    assert selected(page, "district") == str(district.pk)
    assert options(page, "street") == [str(street.pk)]


def test_a_community_of_another_street_is_refused_in_english(
    client, applicant, district, street, community, next_community
):
    client.force_login(applicant)
    response = client.post(
        reverse("orgs:register"),
        team_data(district, street, next_community),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert "中山东一路居委会 is not in 南京东路街道." in page
    assert not Organisation.objects.exists()
    assert selected(page, "street") == str(street.pk)
    assert options(page, "community") == [str(community.pk)]


def test_a_community_of_another_district_without_street_is_refused(
    client, applicant, district, far_community
):
    client.force_login(applicant)
    response = client.post(reverse("orgs:register"), team_data(district, community=far_community))
    assert "请选择所选区内的居村" in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "999999", "1\x00"])
def test_junk_street_ids_are_refused(client, applicant, district, community, bad):
    client.force_login(applicant)
    data = team_data(district, community=community)
    data["street"] = bad
    response = client.post(reverse("orgs:register"), data)
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_the_choices_are_kept_when_another_field_is_wrong(
    client, applicant, district, street, community
):
    client.force_login(applicant)
    data = team_data(district, street, community, contact_phone="12345")
    page = client.post(reverse("orgs:register"), data).content.decode()
    assert not Organisation.objects.exists()
    assert selected(page, "district") == str(district.pk)
    assert selected(page, "street") == str(street.pk)
    assert selected(page, "community") == str(community.pk)


def test_the_edit_page_shows_the_team_s_street_and_community(
    client, org_admin, team, district, street, community
):
    client.force_login(org_admin)
    page = client.get(reverse("orgs:edit", args=[team.pk])).content.decode()
    assert selected(page, "district") == str(district.pk)
    assert selected(page, "street") == str(street.pk)
    assert selected(page, "community") == str(community.pk)


def test_editing_with_a_street_of_another_district_changes_nothing(
    client, org_admin, team, community, far_street, far_community
):
    client.force_login(org_admin)
    data = form_data_for_edit(
        team, street=far_street.pk, community=far_community.pk, address="人民路2号"
    )
    response = client.post(reverse("orgs:edit", args=[team.pk]), data)
    assert response.status_code == 200
    team.refresh_from_db()
    assert team.community == community and team.address != "人民路2号"


def test_the_edit_page_outsider_is_refused(client, outsider, team):
    client.force_login(outsider)
    assert client.get(reverse("orgs:edit", args=[team.pk])).status_code == 403
