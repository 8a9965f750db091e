"""The snapshots API: lists, multipart upload, one snapshot, moderation, deletion; and that
its answers keep the contract of the OpenAPI schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gongyi.snapshots.models import Snapshot
from gongyi.snapshots.tests.conftest import bearer, gps_photo, media_files, photo
from gongyi.wsgi import application

pytestmark = pytest.mark.django_db
API = "/api/v1/snapshots"


def upload(client, project, files, captions=(), **auth):
    data = {"files": files}
    if captions:
        data["captions"] = list(captions)
    return client.post(f"{API}/projects/{project.number}", data, **auth)


def keys(response) -> list[str]:
    return [item["key"] for item in response.json()["items"]]


# --- lists ----------------------------------------------------------------------------------


def test_wall_and_project_list_are_public_and_approved_only(
    client, approved, pending, hidden, project
):
    for address in (f"{API}/wall", f"{API}/projects/{project.number}"):
        response = client.get(address)
        assert response.status_code == 200 and keys(response) == [approved.key]
        item = response.json()["items"][0]
        assert item["image_url"] == approved.image_url and item["status"] == "approved"
        assert item["uploader"] == project.organisation.name
    city = project.district.city
    assert keys(client.get(f"{API}/wall?city_id={city.pk}")) == [approved.key]
    assert keys(client.get(f"{API}/wall?city_id=999999")) == [approved.key]  # not a city: all
    assert client.get(f"{API}/wall?page=0").status_code == 422


def test_project_list_of_an_unknown_or_draft_project_is_404(client, org):
    from gongyi.signups.tests.conftest import make_project

    draft = make_project(org, status="draft")
    assert client.get(f"{API}/projects/{draft.number}").status_code == 404
    assert client.get(f"{API}/projects/P0000000000").status_code == 404


def test_the_organiser_lists_every_photo(client, org_admin, outsider, approved, pending, hidden):
    address = f"{API}/projects/{approved.project.number}/all"
    assert set(keys(client.get(address, **bearer(org_admin)))) == {
        approved.key,
        pending.key,
        hidden.key,
    }
    assert keys(client.get(address + "?status=pending", **bearer(org_admin))) == [pending.key]
    refused = client.get(address, **bearer(outsider))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert client.get(address).status_code == 401


def test_mine(client, served, pending, hidden, approved):
    response = client.get(f"{API}/mine", **bearer(served.user))
    assert set(keys(response)) == {pending.key, hidden.key}
    hidden_item = next(i for i in response.json()["items"] if i["key"] == hidden.key)
    assert hidden_item["hidden_reason"] == "照片模糊" and hidden_item["uploader"] == "袁**"
    assert client.get(f"{API}/mine").status_code == 401


# --- upload ---------------------------------------------------------------------------------


def test_a_volunteer_uploads(client, project, served):
    response = upload(
        client, project, [photo("a.jpg", gps_photo()), photo("b.jpg")], ["第一张"],
        **bearer(served.user),
    )  # fmt: skip
    assert response.status_code == 200
    items = response.json()
    assert [i["caption"] for i in items] == ["第一张", ""]
    assert {i["status"] for i in items} == {"pending"}
    assert items[0]["width"] == 200 and items[0]["height"] == 320
    assert Snapshot.objects.count() == 2 and len(media_files()) == 4


def test_the_organiser_uploads_approved(client, project, org_admin):
    response = upload(client, project, [photo()], **bearer(org_admin))
    assert response.status_code == 200 and response.json()[0]["status"] == "approved"


def test_outsiders_and_visitors_are_refused(client, project, outsider, signed_up):
    assert upload(client, project, [photo()]).status_code == 401
    for user in (outsider, signed_up.user):
        response = upload(client, project, [photo()], **bearer(user))
        assert response.status_code == 403 and response.json()["code"] == "not_served"
    assert not Snapshot.objects.exists() and media_files() == []


def test_bad_uploads_are_clear_400s_and_save_nothing(client, project, served):
    auth = bearer(served.user)
    text = upload(client, project, [photo(), photo("x.jpg", b"hello", "image/jpeg")], **auth)
    assert text.status_code == 400 and text.json()["code"] == "not_an_image"
    assert text.json()["field"] == "photos" and "x.jpg" in text.json()["message"]
    many = upload(client, project, [photo() for _ in range(10)], **auth)
    assert many.status_code == 400 and many.json()["code"] == "too_many_photos"
    captions = upload(client, project, [photo()], ["a", "b"], **auth)
    assert captions.status_code == 400 and captions.json()["code"] == "too_many_captions"
    missing = client.post(f"{API}/projects/{project.number}", {}, **auth)
    assert missing.status_code == 422
    assert not Snapshot.objects.exists() and media_files() == []


def test_errors_speak_the_callers_language(client, project, served):
    response = upload(
        client, project, [photo("x.jpg", b"hello")], HTTP_ACCEPT_LANGUAGE="zh-hans",
        **bearer(served.user),
    )  # fmt: skip
    assert "不是 JPEG、PNG 或 WebP 图片" in response.json()["message"]


# --- one snapshot ---------------------------------------------------------------------------


def test_get_one(client, approved, pending, served, outsider, org_admin):
    assert client.get(f"{API}/{approved.key}").json()["key"] == approved.key
    assert client.get(f"{API}/{pending.key}").status_code == 404
    assert client.get(f"{API}/{pending.key}", **bearer(outsider)).status_code == 404
    assert client.get(f"{API}/{pending.key}", **bearer(served.user)).status_code == 200
    assert client.get(f"{API}/{pending.key}", **bearer(org_admin)).status_code == 200
    assert client.get(f"{API}/AAAAAAAAAAAA").status_code == 404
    assert client.get(f"{API}/bad").status_code == 422


# --- moderation and deletion ----------------------------------------------------------------


def test_organiser_approves_and_hides(client, org_admin, pending):
    auth = bearer(org_admin)
    approved = client.post(f"{API}/{pending.key}/approve", **auth)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    hidden = client.post(
        f"{API}/{pending.key}/hide", {"reason": "重复"}, content_type="application/json", **auth
    )
    assert hidden.json()["status"] == "hidden" and hidden.json()["hidden_reason"] == "重复"
    too_long = client.post(
        f"{API}/{pending.key}/hide", {"reason": "长" * 201}, "application/json", **auth
    )
    assert too_long.status_code == 422


@pytest.mark.parametrize("who", ["outsider", "served"])
def test_others_cannot_moderate(client, request, pending, who):
    user = request.getfixturevalue(who)
    auth = bearer(getattr(user, "user", user))
    for action in ("approve", "hide"):
        response = client.post(f"{API}/{pending.key}/{action}", {}, "application/json", **auth)
        assert response.status_code == 403 and response.json()["code"] == "not_organiser"
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_delete_own_only(client, served, org_admin, pending, django_capture_on_commit_callbacks):
    refused = client.delete(f"{API}/{pending.key}", **bearer(org_admin))
    assert refused.status_code == 403 and refused.json()["code"] == "not_uploader"
    assert client.delete(f"{API}/{pending.key}").status_code == 401
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"{API}/{pending.key}", **bearer(served.user))
    assert response.status_code == 204
    assert not Snapshot.objects.exists() and media_files() == []
    assert client.delete(f"{API}/{pending.key}", **bearer(served.user)).status_code == 404


# --- the contract ---------------------------------------------------------------------------

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def direct_calls():
    """Calls go straight to the WSGI app: keep the connection holding the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("direct_calls")
def test_answers_keep_the_schema(org_admin, approved, pending):
    auth = {"Authorization": bearer(org_admin)["HTTP_AUTHORIZATION"]}
    number = approved.project.number
    calls = [
        ("GET", "/api/v1/snapshots/wall", {}, None, 200),
        ("GET", "/api/v1/snapshots/mine", {}, None, 200),
        ("GET", "/api/v1/snapshots/projects/{number}", {"number": number}, None, 200),
        ("GET", "/api/v1/snapshots/projects/{number}/all", {"number": number}, None, 200),
        ("GET", "/api/v1/snapshots/{key}", {"key": pending.key}, None, 200),
        ("POST", "/api/v1/snapshots/{key}/approve", {"key": pending.key}, None, 200),
        ("POST", "/api/v1/snapshots/{key}/hide", {"key": pending.key}, {"reason": "x"}, 200),
        ("DELETE", "/api/v1/snapshots/{key}", {"key": pending.key}, None, 403),
        ("DELETE", "/api/v1/snapshots/{key}", {"key": approved.key}, None, 204),
        ("GET", "/api/v1/snapshots/{key}", {"key": approved.key}, None, 404),
    ]
    for method, path, path_parameters, body, status in calls:
        operation = schema[path][method]
        extra = {"body": body} if body is not None else {}
        case = operation.Case(path_parameters=path_parameters, **extra)
        response = case.call_and_validate(headers=auth, checks=CHECKS)
        assert response.status_code == status, (method, path, response.text)
