"""The projects API: public finder and page, organisers' writes, refusals."""

import datetime
import io

import pytest
from django.utils import timezone

from gongyi.accounts.services import create_api_token
from gongyi.projects.models import Project, Shift
from gongyi.projects.tests.conftest import beneficiary, category, make_project

API = "/api/v1/projects"


def payload(org, **changes) -> dict:
    today = timezone.localdate()
    data = {
        "organisation_id": org.pk,
        "title": "社区垃圾分类宣传",
        "summary": "绿色家园",
        "description": "<p>垃圾分类</p><script>x()</script>",
        "category_id": category("environment").pk,
        "subcategory_id": category("environment_waste").pk,
        "beneficiary_ids": [beneficiary("residents").pk],
        "district_id": org.district_id,
        "recruit_start": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "recruit_end": (timezone.now() + datetime.timedelta(days=30)).isoformat(),
        "service_start": f"{today}",
        "service_end": f"{today + datetime.timedelta(days=100)}",
        "contact_name": "袁小明",
        "contact_phone": "13812344567",
    }
    data.update(changes)
    return data


def bearer(user) -> dict:
    _, key = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_taxonomy_is_public(taxonomy, client):
    categories = client.get(f"{API}/categories").json()
    assert len(categories) == 20 and categories[0]["children"]
    assert {b["name"] for b in client.get(f"{API}/beneficiaries").json()} >= {"儿童", "老年人"}
    english = client.get(f"{API}/categories", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[0]["label"] == "Community service"


def test_full_flow_by_token(taxonomy, client, org, org_admin):
    auth = bearer(org_admin)
    created = client.post(f"{API}/", payload(org), content_type="application/json", **auth)
    assert created.status_code == 201, created.json()
    body = created.json()
    number = body["number"]
    assert body["status"] == "draft" and "<script" not in body["description"]
    assert body["contact_phone"] == "13812344567"

    point = client.post(
        f"{API}/{number}/points",
        {"name": "人民广场", "latitude": 31.23, "longitude": 121.47},
        content_type="application/json",
        **auth,
    )
    assert point.status_code == 201
    point_id = point.json()["id"]
    imported = client.post(
        f"{API}/{number}/points/import",
        {"points": [{"name": "外滩"}, {"name": "豫园", "address": "安仁街"}]},
        content_type="application/json",
        **auth,
    )
    assert imported.json() == {"count": 2}

    day = timezone.localdate() + datetime.timedelta(days=3)
    shift = client.post(
        f"{API}/{number}/shifts",
        {
            "point_id": point_id,
            "starts_at": f"{day}T09:00:00+08:00",
            "ends_at": f"{day}T12:00:00+08:00",
            "capacity": 5,
        },
        content_type="application/json",
        **auth,
    )
    assert shift.status_code == 201 and shift.json()["places_left"] == 5
    bulk = client.post(
        f"{API}/{number}/shifts/bulk",
        {
            "point_id": point_id,
            "weekdays": [6],
            "start_time": "09:00",
            "end_time": "12:00",
            "date_from": f"{day}",
            "date_to": f"{day + datetime.timedelta(days=27)}",
            "capacity": None,
        },
        content_type="application/json",
        **auth,
    )
    assert bulk.status_code == 201 and len(bulk.json()) == 4

    shift_id = shift.json()["id"]
    edited = client.patch(
        f"{API}/shifts/{shift_id}", {"capacity": 8}, content_type="application/json", **auth
    )
    assert edited.json()["capacity"] == 8

    published = client.post(f"{API}/{number}/publish", **auth)
    assert published.status_code == 200 and published.json()["status"] == "published"
    patched = client.patch(
        f"{API}/{number}",
        {"title": "社区垃圾分类宣传（二）"},
        content_type="application/json",
        **auth,
    )
    assert patched.json()["title"].endswith("（二）")

    listed = client.get(f"{API}/", {"q": "垃圾分类"}).json()
    assert [p["number"] for p in listed["items"]] == [number]
    public = client.get(f"{API}/{number}").json()
    assert public["contact_phone"] == "138****4567" and public["contact_name"] == "袁**"
    assert len(client.get(f"{API}/{number}/shifts").json()) == 5
    assert len(client.get(f"{API}/{number}/points").json()) == 3

    assert client.delete(f"{API}/shifts/{shift_id}", **auth).status_code == 204
    assert client.post(f"{API}/{number}/close", **auth).json()["status"] == "closed"


def test_list_filters_and_sorts(taxonomy, client, org, org_admin):
    older = make_project(org, org_admin)
    newer = make_project(org, org_admin, mode="online")
    items = client.get(f"{API}/").json()["items"]
    assert [p["number"] for p in items] == [newer.number, older.number]
    assert [p["number"] for p in client.get(f"{API}/", {"mode": "online"}).json()["items"]] == [
        newer.number
    ]
    assert (
        client.get(
            f"{API}/", {"weekdays": "6,7", "time_of_day": "evening", "places_left": True}
        ).json()["count"]
        == 0
    )
    assert client.get(f"{API}/", {"category": category("science").pk}).json()["count"] == 2
    assert client.get(f"{API}/", {"category": 999999}).json()["count"] == 0
    near = client.get(f"{API}/", {"sort": "nearest", "lat": 31.2, "lng": 121.5}).json()["items"]
    assert near[0]["distance_km"] is not None
    assert client.get(f"{API}/", {"weekdays": "8"}).status_code == 422


def test_validation_errors_are_clear_and_change_nothing(taxonomy, client, org, org_admin):
    auth = bearer(org_admin)
    response = client.post(
        f"{API}/", payload(org, min_age=50, max_age=20), content_type="application/json", **auth
    )
    assert response.status_code == 400
    assert response.json()["code"] == "age_range_invalid" and response.json()["message"]
    response = client.post(
        f"{API}/",
        payload(org, subcategory_id=category("health_clinic").pk),
        content_type="application/json",
        **auth,
    )
    assert response.json()["code"] == "subcategory_invalid"
    response = client.post(
        f"{API}/", payload(org, district_id=999999), content_type="application/json", **auth
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown"
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    "who", ["outsider", "member", "leader", "other_org_admin", "other_district_admin"]
)
def test_others_are_refused(request, project, client, who):
    auth = bearer(request.getfixturevalue(who))
    number = project.number
    shift = project.shifts.get()
    point = project.points.get()
    assert (
        client.post(
            f"{API}/", payload(project.organisation), content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{API}/{number}", {"title": "x"}, content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert client.post(f"{API}/{number}/close", **auth).status_code == 403
    assert (
        client.post(
            f"{API}/{number}/points", {"name": "x"}, content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{API}/points/{point.pk}", {"name": "x"}, content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert client.delete(f"{API}/points/{point.pk}", **auth).status_code == 403
    assert (
        client.patch(
            f"{API}/shifts/{shift.pk}", {"capacity": 1}, content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert client.delete(f"{API}/shifts/{shift.pk}", **auth).status_code == 403
    assert (
        client.post(
            f"{API}/{number}/shifts/bulk",
            {
                "point_id": point.pk,
                "weekdays": [6],
                "start_time": "09:00",
                "end_time": "10:00",
                "date_from": f"{project.service_start}",
                "date_to": f"{project.service_end}",
            },
            content_type="application/json",
            **auth,
        ).status_code
        == 403
    )
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED and project.title != "x"
    assert Shift.objects.filter(pk=shift.pk, capacity=10).exists()
    expected = "13812344567" if who == "leader" else "138****4567"  # leaders run it: they see it
    assert client.get(f"{API}/{number}", **auth).json()["contact_phone"] == expected


def test_anonymous_writes_are_refused(project, client):
    assert client.post(f"{API}/{project.number}/publish").status_code == 401
    assert client.get(f"{API}/mine").status_code == 401


def test_drafts_are_404_to_the_public_and_visible_to_organisers(
    taxonomy, client, org, org_admin, leader
):
    draft = make_project(org, org_admin, publish=False)
    assert client.get(f"{API}/{draft.number}").status_code == 404
    assert client.get(f"{API}/{draft.number}/shifts").status_code == 404
    body = client.get(f"{API}/{draft.number}", **bearer(leader)).json()
    assert body["status"] == "draft" and body["contact_phone"] == "13812344567"
    assert [p["number"] for p in client.get(f"{API}/mine", **bearer(leader)).json()] == [
        draft.number
    ]


def test_capacity_below_taken_is_refused(project, client, org_admin):
    shift = project.shifts.get()
    Shift.objects.filter(pk=shift.pk).update(taken=4)
    response = client.patch(
        f"{API}/shifts/{shift.pk}",
        {"capacity": 3},
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 400 and response.json()["code"] == "capacity_below_taken"
    assert "4" in response.json()["message"]


def test_junk_never_500(project, client, org_admin):
    auth = bearer(org_admin)
    assert client.get(f"{API}/P%00").status_code == 404
    assert client.patch(
        f"{API}/shifts/99999999999999999999", {}, content_type="application/json", **auth
    ).status_code in (404, 422)
    bad_dates = client.post(
        f"{API}/{project.number}/shifts",
        {
            "point_id": project.points.get().pk,
            "starts_at": "0001-01-01T00:00:00+14:00",
            "ends_at": "0001-01-01T01:00:00",
        },
        content_type="application/json",
        **auth,
    )
    assert bad_dates.status_code == 400
    naive_aware = client.post(
        f"{API}/{project.number}/shifts/bulk",
        {
            "point_id": project.points.get().pk,
            "weekdays": [1],
            "start_time": "09:00+05:00",
            "end_time": "10:00",
            "date_from": "0001-01-01",
            "date_to": "0001-02-01",
        },
        content_type="application/json",
        **auth,
    )
    assert naive_aware.status_code == 400
    nul = client.post(
        f"{API}/{project.number}/points",
        {"name": "a\u0000b"},
        content_type="application/json",
        **auth,
    )
    assert nul.status_code == 201 and nul.json()["name"] == "ab"


def test_cover_upload_is_re_encoded_and_refused_to_others(project, client, org_admin, outsider):
    from gongyi.orgs.tests.conftest import image_upload

    url = f"{API}/{project.number}/cover"
    refused = client.post(url, {"cover": image_upload("c.jpg", "JPEG")}, **bearer(outsider))
    assert refused.status_code == 403
    response = client.post(url, {"cover": image_upload("c.jpg", "JPEG")}, **bearer(org_admin))
    assert response.status_code == 200 and response.json()["cover_url"].endswith(".png")
    junk = client.post(
        url,
        {"cover": io.BytesIO(b"not an image")},
        **bearer(org_admin),
    )
    assert junk.status_code == 400 and junk.json()["code"] == "cover_invalid"
