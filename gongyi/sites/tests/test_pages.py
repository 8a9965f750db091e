"""The directory, the theme stylesheet and the management pages, with who may do what."""

import pytest
from django.core.files.storage import default_storage

from gongyi.core.models import AuditEntry
from gongyi.sites.models import Site
from gongyi.sites.tests.conftest import image_file, make_site


def _form(site=None, **changes) -> dict:
    data = {
        "district": site.district_id if site else "",
        "name": site.name if site else "",
        "slug": site.slug if site else "",
        "host": site.host if site else "",
        "tagline": site.tagline if site else "",
        "primary_colour": site.primary_colour if site else "#1f3a93",
        "accent_colour": site.accent_colour if site else "#ff8a3d",
    }
    data.update(changes)
    return data


# --- public ---------------------------------------------------------------------------------


def test_the_directory_lists_active_sites_by_host_or_path(client, huangpu, xuhui, city_admin):
    from gongyi.sites import services

    services.site_update(actor=city_admin, site=xuhui, host="")
    make_site(
        xuhui.district.city.children.create(
            code="310105", name="长宁区", level=2, city=xuhui.district.city
        ),
        "changning",
    )
    services.site_set_active(
        actor=city_admin, site=Site.objects.get(slug="changning"), active=False
    )
    response = client.get("/sites/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="http://huangpu.localhost/"' in html
    assert 'href="/d/xuhui/"' in html
    assert "长宁区" not in html  # offline


def test_the_directory_keeps_the_port_of_the_request(client, huangpu):
    html = client.get("/sites/", HTTP_HOST="localhost:8000").content.decode()
    assert 'href="http://huangpu.localhost:8000/"' in html


def test_the_theme_stylesheet_carries_the_colours_with_an_etag(client, huangpu):
    response = client.get("/sites/huangpu/theme.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    css = response.content.decode()
    assert "--brand: #1f3a93" in css and "--accent: #ff8a3d" in css
    assert ".topbar" in css
    assert "max-age" in response["Cache-Control"]
    again = client.get("/sites/huangpu/theme.css", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


def test_a_new_colour_changes_the_stylesheet_and_its_address(client, huangpu, city_admin):
    from gongyi.sites import services

    before = client.get("/sites/huangpu/theme.css")
    updated = services.site_update(actor=city_admin, site=huangpu, primary_colour="#0b5394")
    after = client.get("/sites/huangpu/theme.css", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "#0b5394" in after.content.decode()
    assert updated.updated_at > huangpu.updated_at


def test_no_stylesheet_for_an_unknown_or_offline_site(client, huangpu, city_admin):
    from gongyi.sites import services

    assert client.get("/sites/nowhere/theme.css").status_code == 404
    services.site_set_active(actor=city_admin, site=huangpu, active=False)
    assert client.get("/sites/huangpu/theme.css").status_code == 404


def test_the_header_shows_the_logo_and_the_home_page_the_banner(client, district, city_admin):
    from gongyi.sites import services

    site = make_site(district, "huangpu", tagline="城市温度")
    site = services.site_update(
        actor=city_admin,
        site=site,
        logo=image_file(size=(200, 200)),
        banner=image_file(size=(1200, 360)),
    )
    html = client.get("/d/huangpu/").content.decode()
    assert f'class="site-logo" src="{site.logo.url}"' in html
    assert f'class="site-banner" src="{site.banner.url}"' in html
    assert site.logo.url.startswith("/media/sites/huangpu-logo-")
    assert "城市温度" in html
    assert ' style="' not in html  # no inline styles (CSP)


# --- management: who may ------------------------------------------------------------------


MANAGEMENT = ["/sites/manage/", "/sites/manage/new/", "/sites/manage/huangpu/"]


@pytest.mark.parametrize("url", MANAGEMENT)
def test_a_visitor_is_sent_to_log_in(client, huangpu, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "volunteer", "org_admin"])
@pytest.mark.parametrize("url", MANAGEMENT)
def test_people_without_a_role_are_refused(client, huangpu, request, who, url):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert client.get(url).status_code == 403
    assert client.post(url, _form(huangpu, name="改名")).status_code == 403
    active = client.post("/sites/manage/huangpu/active/", {"active": "0"})
    assert active.status_code == 403
    huangpu.refresh_from_db()
    assert huangpu.name == "黄浦区志愿" and huangpu.is_active


def test_another_districts_admin_is_refused(client, huangpu, other_district_admin):
    client.force_login(other_district_admin)
    assert client.get("/sites/manage/huangpu/").status_code == 403
    assert client.post("/sites/manage/huangpu/", {"name": "改名"}).status_code == 403
    assert client.get("/sites/manage/new/").status_code == 403
    assert "黄浦" not in client.get("/sites/manage/").content.decode()
    huangpu.refresh_from_db()
    assert huangpu.name == "黄浦区志愿"


def test_the_district_admin_edits_the_look_only(client, huangpu, district_admin):
    client.force_login(district_admin)
    page = client.get("/sites/manage/huangpu/").content.decode()
    assert 'name="primary_colour"' in page and 'name="host"' not in page
    response = client.post(
        "/sites/manage/huangpu/",
        {
            "name": "黄浦志愿服务",
            "tagline": "新口号",
            "primary_colour": "#5b2a86",
            "accent_colour": "#d4a5ff",
            "logo": image_file(size=(128, 128)),
            # Not on their form: ignored, never saved.
            "host": "evil.localhost",
            "slug": "evil",
            "district": "999",
        },
    )
    assert response.status_code == 302
    huangpu.refresh_from_db()
    assert (huangpu.name, huangpu.tagline, huangpu.primary_colour) == (
        "黄浦志愿服务",
        "新口号",
        "#5b2a86",
    )
    assert (huangpu.host, huangpu.slug) == ("huangpu.localhost", "huangpu")
    assert huangpu.logo and default_storage.exists(huangpu.logo.name)
    assert client.post("/sites/manage/huangpu/active/", {"active": "0"}).status_code == 403
    assert client.get("/sites/manage/new/").status_code == 403
    assert AuditEntry.objects.filter(action="site.updated", actor=district_admin).count() == 1


def test_the_district_admin_sees_their_site_in_the_list(client, huangpu, xuhui, district_admin):
    client.force_login(district_admin)
    html = client.get("/sites/manage/").content.decode()
    assert "黄浦区志愿" in html and "徐汇区志愿" not in html
    assert "/sites/manage/new/" not in html


# --- management: the city admin -----------------------------------------------------------


def test_the_city_admin_creates_a_site(client, district, city_admin):
    client.force_login(city_admin)
    assert client.get("/sites/manage/new/").status_code == 200
    response = client.post(
        "/sites/manage/new/",
        _form(
            district=district.pk,
            name="黄浦志愿",
            slug="Huangpu",
            host="HuangPu.localhost",
            banner=image_file(size=(1200, 400)),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    site = Site.objects.get()
    assert (site.slug, site.host, site.district, site.created_by) == (
        "huangpu",
        "huangpu.localhost",
        district,
        city_admin,
    )
    assert site.banner.name.endswith(".jpg")
    assert AuditEntry.objects.filter(action="site.created", target_id=str(site.pk)).exists()
    assert client.get("/", HTTP_HOST="huangpu.localhost").wsgi_request.site == site


def test_the_city_admin_edits_every_field_and_takes_the_site_offline(
    client, huangpu, city_admin, other_district
):
    client.force_login(city_admin)
    response = client.post(
        "/sites/manage/huangpu/",
        _form(huangpu, district=other_district.pk, slug="xuhui", host="xuhui.localhost"),
    )
    assert response.status_code == 302
    huangpu.refresh_from_db()
    assert (huangpu.district, huangpu.slug, huangpu.host) == (
        other_district,
        "xuhui",
        "xuhui.localhost",
    )
    assert client.post("/sites/manage/xuhui/active/", {"active": "0"}).status_code == 302
    huangpu.refresh_from_db()
    assert not huangpu.is_active
    assert AuditEntry.objects.filter(action="site.deactivated").count() == 1
    assert client.get("/d/xuhui/").status_code == 404
    assert client.post("/sites/manage/xuhui/active/", {"active": "1"}).status_code == 302
    assert client.get("/d/xuhui/").status_code == 200


def test_a_city_admin_of_another_city_is_refused(client, huangpu):
    from gongyi.accounts.models import StaffRole
    from gongyi.regions.models import Region
    from gongyi.testing.people import make_user

    chengdu = Region.objects.create(code="5101", name="成都市", level=1)
    admin = make_user()
    StaffRole.objects.create(user=admin, role=StaffRole.Role.CITY_ADMIN, region=chengdu)
    client.force_login(admin)
    assert client.get("/sites/manage/huangpu/").status_code == 403
    assert client.post("/sites/manage/huangpu/active/", {"active": "0"}).status_code == 403
    # Their form offers only their own city's districts.
    page = client.get("/sites/manage/new/").content.decode()
    assert "黄浦区" not in page
    response = client.post(
        "/sites/manage/new/", _form(district=huangpu.district_id, name="x", slug="xx")
    )
    assert response.status_code == 200  # the district is not a choice: a form error
    assert Site.objects.count() == 1


# --- bad input: a clear error, nothing saved ---------------------------------------------


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"slug": "xuhui"}, "slug", "is taken by another site"),
        ({"host": "xuhui.localhost"}, "host", "Another site already answers at"),
        ({"slug": "徐汇"}, "slug", "lower-case letters"),
        ({"host": "http://a.localhost/x"}, "host", "Give a host name"),
        ({"host": "a.gongyi.example"}, "host", "ALLOWED_HOSTS"),
        ({"primary_colour": "red"}, "primary_colour", "#rrggbb"),
        ({"primary_colour": "#ffff00"}, "primary_colour", "choose a darker main colour"),
        ({"accent_colour": "#12345"}, "accent_colour", "#rrggbb"),
        ({"name": " "}, "name", "required"),
        ({"logo": "not-an-image"}, "logo", "Upload a PNG, JPEG, WebP or GIF image."),
        ({"banner": "small"}, "banner", "at least 600 × 150 pixels"),
    ],
)
def test_bad_input_is_refused_clearly_and_saves_nothing(
    client, huangpu, xuhui, city_admin, changes, field, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if changes.get("logo") == "not-an-image":
        changes["logo"] = SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", "image/png")
    if changes.get("banner") == "small":
        changes["banner"] = image_file(size=(300, 100))
    client.force_login(city_admin)
    before = list(Site.objects.order_by("pk").values())
    response = client.post(
        "/sites/manage/huangpu/", _form(huangpu, **changes), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert list(Site.objects.order_by("pk").values()) == before
    assert not AuditEntry.objects.filter(action="site.updated").exists()


def test_a_second_site_for_a_district_is_refused(client, huangpu, city_admin):
    client.force_login(city_admin)
    response = client.post(
        "/sites/manage/new/",
        _form(district=huangpu.district_id, name="又一个", slug="again", host=""),
    )
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert Site.objects.count() == 1


def test_errors_are_in_chinese_by_default(client, huangpu, xuhui, city_admin):
    client.force_login(city_admin)
    response = client.post("/sites/manage/huangpu/", _form(huangpu, slug="xuhui"))
    assert "已被其他分平台使用" in " ".join(response.context["form"].errors["slug"])


def test_pages_fit_a_phone_and_carry_no_inline_style(client, huangpu, city_admin):
    client.force_login(city_admin)
    for url in ("/sites/", "/sites/manage/", "/sites/manage/new/", "/sites/manage/huangpu/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert ' style="' not in html and "<style" not in html
        assert 'name="viewport"' in html


def test_the_theme_etag_names_the_site_and_its_version(client, huangpu):
    response = client.get("/sites/huangpu/theme.css")
    assert response["ETag"] == f'"{huangpu.pk}-{huangpu.theme_version}"'
    weak = client.get("/sites/huangpu/theme.css", HTTP_IF_NONE_MATCH=f'W/{response["ETag"]}, "x"')
    assert weak.status_code == 304


def test_the_edit_page_names_the_site_it_edits(client, huangpu, city_admin):
    client.force_login(city_admin)
    html = client.get("/sites/manage/huangpu/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Edit {huangpu.name}" in html


@pytest.mark.parametrize(
    "language, text", [("en", "at most 2 MB, at least 32 × 32 pixels"), ("zh-hans", "不超过 2 MB")]
)
def test_the_image_help_is_in_the_visitors_language(client, huangpu, city_admin, language, text):
    client.force_login(city_admin)
    html = client.get("/sites/manage/huangpu/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert text in html


def test_the_lists_of_a_city_admin_read_their_cities_once(city_admin, django_assert_num_queries):
    from gongyi.sites import selectors

    # The city and the district roles, each read once and then kept on the user.
    with django_assert_num_queries(2):
        str(selectors.managed_sites(user=city_admin).query)
        str(selectors.districts_for_site(user=city_admin).query)
