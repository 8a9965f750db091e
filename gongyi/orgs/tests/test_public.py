"""Public pages: the list of verified organisations and an organisation's page."""

import pytest
from django.urls import reverse

from gongyi.orgs import services
from gongyi.testing.people import make_org


def test_the_list_shows_verified_orgs_only(client, org, pending_org):
    html = client.get(reverse("orgs:list")).content.decode()
    assert org.name in html
    assert pending_org.name not in html


def test_the_list_filters_by_district_kind_and_name(client, district, other_district):
    here = make_org(district, name="黄浦青年志愿者协会")
    there = make_org(other_district, name="徐汇青年志愿者协会")
    school = make_org(district, name="黄浦中学", kind="school")
    url = reverse("orgs:list")
    html = client.get(url, {"district": other_district.pk}).content.decode()
    assert there.name in html and here.name not in html
    html = client.get(url, {"kind": "school"}).content.decode()
    assert school.name in html and here.name not in html
    html = client.get(url, {"q": "青年"}).content.decode()
    assert here.name in html and there.name in html and school.name not in html


def test_bad_filters_are_ignored_not_a_500(client, org):
    response = client.get(reverse("orgs:list"), {"district": "abc", "kind": "x", "page": "-1"})
    assert response.status_code == 200
    assert org.name in response.content.decode()


def test_the_list_has_20_per_page(client, district):
    for n in range(25):
        make_org(district, name=f"分页协会{n:02d}")
    first = client.get(reverse("orgs:list")).content.decode()
    second = client.get(reverse("orgs:list"), {"page": 2}).content.decode()
    assert first.count('class="card org-card"') == 20
    assert second.count('class="card org-card"') == 5


def test_the_list_costs_the_same_queries_for_many_orgs(
    client, district, django_assert_max_num_queries
):
    for n in range(20):
        make_org(district, name=f"查询协会{n:02d}")
    with django_assert_max_num_queries(6):
        client.get(reverse("orgs:list"))


def test_the_list_shows_a_new_verification_at_once(client, district_admin, pending_org):
    assert pending_org.name not in client.get(reverse("orgs:list")).content.decode()
    services.org_review(actor=district_admin, org=pending_org, approve=True)
    assert pending_org.name in client.get(reverse("orgs:list")).content.decode()


def test_the_public_page_masks_the_contact(client, org):
    html = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert org.name in html
    assert "王**" in html and "139****5678" in html
    assert "13912345678" not in html and "王建国" not in html


def test_an_outsider_sees_the_contact_masked_too(client, outsider, org):
    client.force_login(outsider)
    html = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert "13912345678" not in html


def test_members_see_the_contact_in_full(client, member, org):
    client.force_login(member)
    html = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert "13912345678" in html and "王建国" in html


@pytest.mark.parametrize("who", [None, "outsider", "other_district_admin"])
def test_a_pending_org_is_404_for_everybody_else(client, request, who, pending_org):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("orgs:detail", args=[pending_org.pk])).status_code == 404


@pytest.mark.parametrize("who", ["applicant", "district_admin", "city_admin"])
def test_a_pending_org_is_visible_to_its_people_and_reviewers(client, request, who, pending_org):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("orgs:detail", args=[pending_org.pk])).status_code == 200


def test_an_unknown_org_is_404(client, db):
    assert client.get(reverse("orgs:detail", args=[999999])).status_code == 404


def test_pages_are_chinese_by_default_and_english_on_request(client, org):
    assert "志愿服务组织" in client.get(reverse("orgs:list")).content.decode()
    english = client.get(reverse("orgs:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteer service organisations" in english


def test_a_visitor_is_asked_to_log_in_to_join(client, org):
    html = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert reverse("accounts:login") in html


@pytest.mark.parametrize("view", ["join", "leave"])
def test_joining_and_leaving_need_a_login(client, view, org):
    response = client.post(reverse(f"orgs:{view}", args=[org.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_outsider_cannot_join_a_pending_org(client, outsider, pending_org):
    client.force_login(outsider)
    assert client.post(reverse("orgs:join", args=[pending_org.pk])).status_code == 404
