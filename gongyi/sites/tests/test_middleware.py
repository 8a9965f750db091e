"""SiteMiddleware: a request's site by host or by the /d/<slug>/ path, and what that keeps."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from gongyi.regions.models import Region
from gongyi.sites import services
from gongyi.sites.current import site_district, site_of
from gongyi.sites.middleware import SiteMiddleware, could_be_site_host
from gongyi.sites.tests.conftest import make_site


def test_the_host_names_the_site(client, huangpu):
    response = client.get("/", HTTP_HOST="huangpu.localhost")
    assert response.status_code == 200
    assert response.context["district_site"] == huangpu
    assert response.wsgi_request.site == huangpu
    assert site_district(response.wsgi_request) == huangpu.district
    html = response.content.decode()
    assert "黄浦区志愿" in html
    assert f'href="/sites/huangpu/theme.css?v={huangpu.theme_version}"' in html
    assert "黄浦志愿，城市温度" in html  # the tagline on the home page


def test_the_host_with_a_port_and_in_capitals_still_names_the_site(client, huangpu):
    response = client.get("/", HTTP_HOST="HuangPu.localhost:8000")
    assert response.wsgi_request.site == huangpu


def test_the_city_pages_have_no_site(client, huangpu):
    response = client.get("/")
    assert response.wsgi_request.site is None
    assert response.context["district_site"] is None
    assert "theme.css" not in response.content.decode()


def test_the_path_fallback_names_the_site_and_links_keep_the_prefix(client, huangpu):
    response = client.get("/d/huangpu/")
    assert response.status_code == 200
    assert response.wsgi_request.site == huangpu
    assert response.wsgi_request.path == "/d/huangpu/"
    assert response.wsgi_request.path_info == "/"
    html = response.content.decode()
    assert 'href="/d/huangpu/projects/"' in html
    assert 'href="/d/huangpu/orgs/"' in html
    assert 'href="/d/huangpu/sites/huangpu/theme.css' in html
    # Static files are not under the site's prefix: STATIC_URL is absolute.
    assert 'href="/static/css/gongyi.css"' in html


def test_pages_below_the_prefix_resolve_and_the_prefix_is_reset_afterwards(client, huangpu):
    response = client.get("/d/huangpu/projects/")
    assert response.status_code == 200
    assert response.wsgi_request.site == huangpu
    assert reverse("projects:list") == "/projects/"  # not inherited by code after the request


def test_a_redirect_to_log_in_stays_on_the_site(client, huangpu):
    response = client.get("/d/huangpu/signups/mine/")
    assert response.status_code == 302
    assert response["Location"].startswith("/d/huangpu/accounts/login/")
    assert "next=/d/huangpu/signups/mine/" in response["Location"]


def test_the_bare_prefix_is_sent_on_to_its_slash(client, huangpu):
    response = client.get("/d/huangpu?x=1")
    assert response.status_code == 301
    assert response["Location"] == "/d/huangpu/?x=1"


@pytest.mark.parametrize("path", ["/d/nowhere/", "/d/nowhere", "/d/", "/d/" + "x" * 300 + "/"])
def test_an_unknown_slug_is_a_404(client, huangpu, path):
    assert client.get(path).status_code == 404


def test_an_inactive_site_is_a_404_by_path_and_the_city_by_host(client, huangpu, city_admin):
    services.site_set_active(actor=city_admin, site=huangpu, active=False)
    assert client.get("/d/huangpu/").status_code == 404
    response = client.get("/", HTTP_HOST="huangpu.localhost")
    assert response.status_code == 200
    assert response.wsgi_request.site is None


def test_a_change_is_seen_at_once(client, huangpu, city_admin):
    assert client.get("/d/huangpu/").status_code == 200  # the map is now in the cache
    services.site_update(actor=city_admin, site=huangpu, slug="hp")
    assert client.get("/d/huangpu/").status_code == 404
    assert client.get("/d/hp/").wsgi_request.site.slug == "hp"


def test_the_look_up_costs_no_query_once_warm(client, huangpu, django_assert_num_queries):
    client.get("/sites/huangpu/theme.css", HTTP_HOST="huangpu.localhost")
    with django_assert_num_queries(0):
        response = client.get("/sites/huangpu/theme.css", HTTP_HOST="huangpu.localhost")
    assert response.status_code == 200
    with django_assert_num_queries(0):
        client.get("/d/huangpu/sites/huangpu/theme.css")


def test_the_city_host_is_not_even_looked_up(client, huangpu, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz", HTTP_HOST="localhost").status_code == 200


@pytest.mark.parametrize(
    "host, could",
    [
        ("localhost", False),
        ("testserver", False),
        ("127.0.0.1", False),
        ("[::1]", False),
        ("jinjiang.localhost", True),
        ("jinjiang.gongyi.example", True),
    ],
)
def test_which_hosts_could_be_a_site(host, could):
    assert could_be_site_host(host) is could


def _seen(request):
    """What a view of this request sees: its site's district and a reversed address."""
    request.seen = (site_district(request), reverse("orgs:list"))
    return HttpResponse("ok")


def test_eight_sites_at_once_each_resolve_to_their_own_district(city):
    sites = []
    for n in range(8):
        district = Region.objects.create(
            code=f"3101{n + 10:02d}",
            name=f"第{n + 1}区",
            level=Region.Level.DISTRICT,
            parent=city,
            city=city,
        )
        sites.append(make_site(district, f"district{n + 1}"))
    middleware = SiteMiddleware(_seen)
    factory = RequestFactory()
    for site in sites:
        by_host = factory.get("/orgs/", HTTP_HOST=f"{site.slug}.localhost")
        middleware(by_host)
        assert site_of(by_host) == site
        assert by_host.seen == (site.district, "/orgs/")
        by_path = factory.get(f"/d/{site.slug}/orgs/")
        middleware(by_path)
        assert by_path.seen == (site.district, f"/d/{site.slug}/orgs/")
    assert len({s.district_id for s in sites}) == 8
    assert reverse("orgs:list") == "/orgs/"


def test_a_site_host_must_pass_allowed_hosts(client, district, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".gongyi.example"]
    site = make_site(district, "huangpu", host="huangpu.gongyi.example")
    response = client.get("/", HTTP_HOST="huangpu.gongyi.example")
    assert response.wsgi_request.site == site
    settings.ALLOWED_HOSTS = ["testserver"]
    assert client.get("/", HTTP_HOST="huangpu.gongyi.example").status_code == 400


def test_the_log_in_page_keeps_the_sites_look(client, huangpu):
    """Django's auth views put their own `site` in the context; the header still shows ours."""
    html = client.get("/d/huangpu/accounts/login/").content.decode()
    assert "黄浦区志愿" in html and "/sites/huangpu/theme.css" in html


def test_an_unchanged_version_keeps_the_map_of_the_process(
    client, huangpu, city_admin, monkeypatch
):
    from gongyi.sites import selectors

    builds = []
    build = selectors._build_map
    monkeypatch.setattr(selectors, "_build_map", lambda version: builds.append(1) or build(version))
    assert client.get("/d/huangpu/").status_code == 200
    assert client.get("/sites/huangpu/theme.css", HTTP_HOST="huangpu.localhost").status_code == 200
    assert len(builds) == 1  # built once, then only the version is read
    services.site_update(actor=city_admin, site=huangpu, tagline="新的一句")
    assert client.get("/d/huangpu/").wsgi_request.site.tagline == "新的一句"
    assert len(builds) == 2


def test_a_request_reads_the_version_once(client, huangpu, monkeypatch):
    from gongyi.sites import selectors

    client.get("/d/huangpu/")  # warm
    reads = []
    version = selectors.sites_version
    monkeypatch.setattr(selectors, "sites_version", lambda: reads.append(1) or version())
    assert client.get("/d/huangpu/sites/huangpu/theme.css").status_code == 200
    assert len(reads) == 1


def test_templates_get_the_site_as_district_site_only(client, huangpu):
    response = client.get("/d/huangpu/")
    assert response.context["district_site"] == huangpu
    assert "site" not in response.context
