"""On a district site the finder and the organisation list show that district by default;
the visitor can still choose another district or all of them. People are the city's: one
account, one record, on every site."""

from django.contrib.auth import SESSION_KEY
from django.test import Client

from gongyi.orgs.models import Organisation
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import PASSWORD, make_org

HUANGPU_HOST = {"HTTP_HOST": "huangpu.localhost"}


def _orgs_and_projects(district, other_district):
    here = make_org(district, name="黄浦阳光志愿者协会")
    there = make_org(other_district, name="徐汇春风志愿者协会")
    make_project(here, title="外滩文明引导")
    make_project(there, title="徐家汇图书馆整理")
    return here, there


def test_the_finder_shows_the_sites_district_by_default(client, huangpu, district, other_district):
    _orgs_and_projects(district, other_district)
    # The city's finder first, so its cached copies exist when the site asks for the same path.
    city = client.get("/projects/").content.decode()
    assert "外滩文明引导" in city and "徐家汇图书馆整理" in city
    for response in (client.get("/projects/", **HUANGPU_HOST), client.get("/d/huangpu/projects/")):
        html = response.content.decode()
        assert "外滩文明引导" in html
        assert "徐家汇图书馆整理" not in html
        assert f'<option value="{district.pk}" selected>' in html
        assert "site-scope" in html and "district=all" in html  # the way to every district


def test_on_a_site_the_visitor_may_choose_all_or_another_district(
    client, huangpu, district, other_district
):
    _orgs_and_projects(district, other_district)
    for query in ("?district=all", "?district="):
        html = client.get(f"/d/huangpu/projects/{query}").content.decode()
        assert "外滩文明引导" in html and "徐家汇图书馆整理" in html
        assert "site-scope" not in html  # no scope note: the visitor chose
    html = client.get(f"/projects/?district={other_district.pk}", **HUANGPU_HOST).content.decode()
    assert "徐家汇图书馆整理" in html and "外滩文明引导" not in html


def test_the_org_list_shows_the_sites_district_by_default(
    client, huangpu, district, other_district
):
    _orgs_and_projects(district, other_district)
    city = client.get("/orgs/").content.decode()
    assert "黄浦阳光志愿者协会" in city and "徐汇春风志愿者协会" in city
    for response in (client.get("/orgs/", **HUANGPU_HOST), client.get("/d/huangpu/orgs/")):
        html = response.content.decode()
        assert "黄浦阳光志愿者协会" in html
        assert "徐汇春风志愿者协会" not in html
    html = client.get("/d/huangpu/orgs/?district=all").content.decode()
    assert "黄浦阳光志愿者协会" in html and "徐汇春风志愿者协会" in html
    assert Organisation.objects.count() == 2


def test_two_sites_each_show_their_own(client, huangpu, xuhui, district, other_district):
    _orgs_and_projects(district, other_district)
    huangpu_html = client.get("/d/huangpu/projects/").content.decode()
    xuhui_html = client.get("/projects/", HTTP_HOST="xuhui.localhost").content.decode()
    assert "外滩文明引导" in huangpu_html and "徐家汇图书馆整理" not in huangpu_html
    assert "徐家汇图书馆整理" in xuhui_html and "外滩文明引导" not in xuhui_html


def _log_in(client: Client, phone: str, **where) -> None:
    prefix = "/d/xuhui" if not where else ""
    response = client.post(
        f"{prefix}/accounts/login/", {"username": phone, "password": PASSWORD}, **where
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_one_account_works_on_two_sites(huangpu, xuhui, volunteer, other_district):
    """The volunteer signed up for a project of 徐汇区; on 黄浦区's site (own host) and on
    徐汇区's (path fallback) they log in with the same account and see the same signup."""
    project = make_project(make_org(other_district), title="徐家汇图书馆整理")
    Signup.objects.create(volunteer=volunteer, shift=make_shift(project), status="confirmed")
    phone = volunteer.user.phone
    on_huangpu, on_xuhui = Client(), Client()
    _log_in(on_huangpu, phone, **HUANGPU_HOST)
    _log_in(on_xuhui, phone)
    pages = [
        on_huangpu.get("/signups/mine/", **HUANGPU_HOST),
        on_xuhui.get("/d/xuhui/signups/mine/"),
    ]
    for response in pages:
        assert response.status_code == 200
        assert "徐家汇图书馆整理" in response.content.decode()
        assert int(response.wsgi_request.session[SESSION_KEY]) == volunteer.user.pk
    assert [p.wsgi_request.site for p in pages] == [huangpu, xuhui]
    profiles = [
        on_huangpu.get("/accounts/me/", **HUANGPU_HOST),
        on_xuhui.get("/d/xuhui/accounts/me/"),
    ]
    for response in profiles:
        assert response.status_code == 200
        assert volunteer.number in response.content.decode()
