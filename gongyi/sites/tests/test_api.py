"""The sites API: public reads, the city admin's create and update, the district admin's
look, multipart images; outsiders refused; every answer in the documented shapes."""

import pytest

from gongyi.accounts.services import create_api_token
from gongyi.core.models import AuditEntry
from gongyi.sites.models import Site
from gongyi.sites.tests.conftest import image_file


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def _create(client, who, **fields):
    body = {"district_id": fields.pop("district_id"), "name": "黄浦志愿", "slug": "huangpu"}
    body.update(fields)
    return client.post("/api/v1/sites/", body, content_type="application/json", **bearer(who))


def _patch(client, who, at, **fields):
    return client.patch(
        f"/api/v1/sites/{at}", fields, content_type="application/json", **bearer(who)
    )


def test_the_list_and_a_site_are_public(client, huangpu, xuhui, city_admin):
    from gongyi.sites import services

    services.site_set_active(actor=city_admin, site=xuhui, active=False)
    listed = client.get("/api/v1/sites/").json()
    assert [s["slug"] for s in listed] == ["huangpu"]
    one = client.get("/api/v1/sites/huangpu").json()
    assert one["url"] == "http://huangpu.localhost/"
    assert one["path_url"] == "/d/huangpu/"
    assert one["district_code"] == "310101" and one["city_name"] == "上海市"
    assert one["theme_url"].startswith("/sites/huangpu/theme.css?v=")
    assert one["logo_url"] is None
    assert client.get("/api/v1/sites/xuhui").status_code == 404  # offline: not public
    assert client.get("/api/v1/sites/xuhui", **bearer(city_admin)).status_code == 200
    assert client.get("/api/v1/sites/nowhere").status_code == 404
    assert client.get("/api/v1/sites/Not_A_Slug").status_code == 422


def test_the_city_admin_creates_a_site(client, district, city_admin):
    response = _create(client, city_admin, district_id=district.pk, host="huangpu.localhost")
    assert response.status_code == 201, response.json()
    assert response.json()["host"] == "huangpu.localhost"
    assert Site.objects.get().created_by == city_admin
    assert AuditEntry.objects.filter(action="site.created").count() == 1


@pytest.mark.parametrize("who", ["outsider", "district_admin", "other_district_admin"])
def test_others_cannot_create(client, district, request, who):
    person = request.getfixturevalue(who)
    response = _create(client, person, district_id=district.pk)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Site.objects.exists()


def test_a_volunteer_cannot_create_or_change(client, district, huangpu, volunteer):
    assert _create(client, volunteer.user, district_id=district.pk).status_code == 403
    assert _patch(client, volunteer.user, "huangpu", name="x").status_code == 403
    response = client.post(
        "/api/v1/sites/huangpu/logo",
        {"logo": image_file(size=(64, 64))},
        **bearer(volunteer.user),
    )
    assert response.status_code == 403
    assert client.get("/api/v1/sites/manage", **bearer(volunteer.user)).status_code == 403


def test_without_a_caller_writes_ask_to_log_in(client, district, huangpu):
    body = {"district_id": district.pk, "name": "x", "slug": "xx"}
    assert client.post("/api/v1/sites/", body, content_type="application/json").status_code == 401
    patch = client.patch("/api/v1/sites/huangpu", {"name": "x"}, content_type="application/json")
    assert patch.status_code == 401
    assert client.get("/api/v1/sites/manage").status_code == 401


@pytest.mark.parametrize(
    "fields, code, field",
    [
        ({"slug": "xuhui"}, "slug_taken", "slug"),
        ({"host": "xuhui.localhost"}, "host_taken", "host"),
        ({"primary_colour": "#fff"}, "primary_colour_too_light", "primary_colour"),
        ({"accent_colour": "blue"}, "accent_colour_invalid", "accent_colour"),
        ({"name": "a\u0000b"}, "name_invalid", "name"),
        ({"district_id": 999999}, "district_invalid", "district"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    client, huangpu, xuhui, city_admin, fields, code, field
):
    before = list(Site.objects.order_by("pk").values())
    response = _patch(client, city_admin, "huangpu", **fields)
    assert response.status_code == 400, response.json()
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert list(Site.objects.order_by("pk").values()) == before


def test_a_duplicate_site_for_a_district_is_a_400(client, huangpu, city_admin):
    response = _create(client, city_admin, district_id=huangpu.district_id, slug="again")
    assert response.status_code == 400
    assert response.json()["code"] == "district_taken"


def test_the_district_admin_changes_the_look_only(client, huangpu, district_admin):
    ok = _patch(client, district_admin, "huangpu", name="黄浦志愿服务", primary_colour="#5B2A86")
    assert ok.status_code == 200
    assert (ok.json()["name"], ok.json()["primary_colour"]) == ("黄浦志愿服务", "#5b2a86")
    for change in ({"host": "evil.localhost"}, {"slug": "evil"}, {"is_active": False}):
        refused = _patch(client, district_admin, "huangpu", **change)
        assert refused.status_code == 403
        assert refused.json()["code"] == "look_only"
    huangpu.refresh_from_db()
    assert (huangpu.host, huangpu.slug, huangpu.is_active) == ("huangpu.localhost", "huangpu", True)


def test_another_districts_admin_is_refused(client, huangpu, other_district_admin):
    assert _patch(client, other_district_admin, "huangpu", name="x").status_code == 403
    managed = client.get("/api/v1/sites/manage", **bearer(other_district_admin))
    assert managed.status_code == 200 and managed.json() == []


def test_the_city_admin_changes_everything(client, huangpu, city_admin, other_district):
    response = _patch(
        client,
        city_admin,
        "huangpu",
        district_id=other_district.pk,
        slug="xuhui",
        host="",
        is_active=False,
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["district_name"], data["slug"], data["host"], data["is_active"]) == (
        "徐汇区",
        "xuhui",
        "",
        False,
    )
    assert data["url"] == "/d/xuhui/"
    managed = client.get("/api/v1/sites/manage", **bearer(city_admin)).json()
    assert [s["slug"] for s in managed] == ["xuhui"]


def test_images_are_uploaded_and_removed_multipart(client, huangpu, district_admin):
    auth = bearer(district_admin)
    logo = client.post("/api/v1/sites/huangpu/logo", {"logo": image_file(size=(64, 64))}, **auth)
    assert logo.status_code == 200
    assert logo.json()["logo_url"].startswith("/media/sites/huangpu-logo-")
    banner = client.post(
        "/api/v1/sites/huangpu/banner", {"banner": image_file(size=(1200, 300))}, **auth
    )
    assert banner.json()["banner_url"].endswith(".jpg")
    bad = client.post(
        "/api/v1/sites/huangpu/banner",
        {"banner": image_file(name="a.png", data=b"GIF89a not really")},
        **auth,
    )
    assert bad.status_code == 400
    assert (bad.json()["code"], bad.json()["field"]) == ("banner_invalid", "banner")
    removed = client.delete("/api/v1/sites/huangpu/logo", **auth)
    assert removed.status_code == 200 and removed.json()["logo_url"] is None
    assert client.post("/api/v1/sites/huangpu/logo", **auth).status_code == 422  # no file


def test_an_outsider_cannot_upload_or_remove(client, huangpu, outsider):
    auth = bearer(outsider)
    upload = client.post("/api/v1/sites/huangpu/logo", {"logo": image_file(size=(64, 64))}, **auth)
    assert upload.status_code == 403
    assert client.delete("/api/v1/sites/huangpu/banner", **auth).status_code == 403


def test_errors_are_in_the_callers_language(client, huangpu, xuhui, city_admin):
    english = client.patch(
        "/api/v1/sites/huangpu",
        {"slug": "xuhui"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(city_admin),
    )
    assert english.json()["message"] == "The short name “xuhui” is taken by another site."
    chinese = _patch(client, city_admin, "huangpu", slug="xuhui")
    assert "已被其他分平台使用" in chinese.json()["message"]


def test_the_operations_are_in_the_schema_with_their_statuses(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/sites/{slug}"]["patch"]["responses"]) == {
        "200", "400", "401", "403", "404", "422"
    }  # fmt: skip
    assert (
        "multipart/form-data"
        in paths["/api/v1/sites/{slug}/logo"]["post"]["requestBody"]["content"]
    )
    assert set(paths["/api/v1/sites/"]["post"]["responses"]) == {
        "201", "400", "401", "403", "422"
    }  # fmt: skip
