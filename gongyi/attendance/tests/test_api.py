"""The attendance API: the same services as the pages, JSON refusals, roles on every call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongyi.accounts.services import create_api_token
from gongyi.attendance.models import Attendance, AttendancePolicy
from gongyi.attendance.services import qr_token, read_qr_token
from gongyi.attendance.tests.conftest import POINT_LAT, POINT_LON
from gongyi.core.models import AuditEntry

pytestmark = pytest.mark.django_db
API = "/api/v1/attendance"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def calls(shift, signup) -> list[tuple[str, str, dict | None]]:
    """Every leader or manager operation, with a valid body."""
    return [
        ("get", f"{API}/shifts/{shift.pk}/qr", None),
        ("get", f"{API}/shifts/{shift.pk}", None),
        ("post", f"{API}/signups/{signup.pk}/check-in", {"reason": "r"}),
        ("post", f"{API}/signups/{signup.pk}/check-out", {"reason": "r"}),
        ("post", f"{API}/signups/{signup.pk}/no-show", {"reason": "r"}),
        ("get", f"{API}/projects/{shift.project_id}/policy", None),
        ("put", f"{API}/projects/{shift.project_id}/policy", {"geofence_required": True}),
    ]


def call(client, method, url, data, **headers):
    if data is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(url, data, content_type="application/json", **headers)


def test_anonymous_is_401_everywhere(client, shift, signup):
    for method, url, data in [
        *calls(shift, signup),
        ("post", f"{API}/scan", {"token": "x"}),
        ("get", f"{API}/signups/{signup.pk}", None),
    ]:
        response = call(client, method, url, data)
        assert response.status_code == 401, url
        assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("who", ["outsider", "volunteer", "other_volunteer", "other_org_admin"])
def test_people_who_do_not_lead_the_project_are_403(request, client, shift, signup, who):
    user = request.getfixturevalue(who)
    auth = bearer(getattr(user, "user", user))
    for method, url, data in calls(shift, signup):
        response = call(client, method, url, data, **auth)
        assert response.status_code == 403, url
        assert response.json()["code"] == "forbidden"
    assert not Attendance.objects.exists()
    assert not AttendancePolicy.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_volunteer", "other_org_admin"])
def test_someone_elses_record_is_403(request, client, signup, who):
    user = request.getfixturevalue(who)
    response = client.get(f"{API}/signups/{signup.pk}", **bearer(getattr(user, "user", user)))
    assert response.status_code == 403


def test_unknown_ids_are_404(client, leader):
    auth = bearer(leader)
    assert client.get(f"{API}/shifts/999999/qr", **auth).status_code == 404
    assert client.get(f"{API}/shifts/999999", **auth).status_code == 404
    assert client.get(f"{API}/signups/999999", **auth).status_code == 404
    response = call(client, "post", f"{API}/signups/999999/no-show", {"reason": "r"}, **auth)
    assert response.status_code == 404


def test_leader_gets_a_qr_token_that_checks_a_volunteer_in(client, leader, volunteer, signup):
    response = client.get(f"{API}/shifts/{signup.shift_id}/qr?direction=in", **bearer(leader))
    assert response.status_code == 200
    data = response.json()
    assert read_qr_token(data["token"]) == (signup.shift_id, "in")
    assert data["url"].startswith("http://testserver/attendance/scan/?t=")
    auth = bearer(volunteer.user)
    response = call(client, "post", f"{API}/scan", {"token": data["token"]}, **auth)
    assert response.status_code == 200
    assert response.json()["state"] == "in"
    assert response.json()["in_method"] == "qr"
    again = call(client, "post", f"{API}/scan", {"token": data["token"]}, **auth)
    assert again.status_code == 409
    assert again.json()["code"] == "already_checked_in"
    mine = client.get(f"{API}/signups/{signup.pk}", **auth)
    assert mine.status_code == 200 and mine.json()["state"] == "in"


def test_scan_out_without_in_is_409_and_expired_is_400(client, volunteer, shift, signup):
    auth = bearer(volunteer.user)
    token = qr_token(shift=shift, direction="out")
    response = call(client, "post", f"{API}/scan", {"token": token}, **auth)
    assert response.status_code == 409 and response.json()["code"] == "not_checked_in"
    old = qr_token(shift=shift, direction="in", now=timezone.now() - timedelta(minutes=3))
    response = call(client, "post", f"{API}/scan", {"token": old}, **auth)
    assert response.status_code == 400 and response.json()["code"] == "token_expired"
    english = call(client, "post", f"{API}/scan", {"token": old}, HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert "expired" in english.json()["message"]
    assert not Attendance.objects.exists()


def test_geofenced_scan_through_the_api(client, volunteer, shift, signup):
    AttendancePolicy.objects.create(project=shift.project, geofence_required=True, radius_m=100)
    auth = bearer(volunteer.user)
    token = qr_token(shift=shift, direction="in")
    far = {"token": token, "latitude": POINT_LAT + 0.01, "longitude": POINT_LON}
    response = call(client, "post", f"{API}/scan", far, **auth)
    assert response.status_code == 400 and response.json()["code"] == "too_far"
    response = call(client, "post", f"{API}/scan", {"token": token}, **auth)
    assert response.json()["code"] == "location_required"
    near = {"token": token, "latitude": POINT_LAT, "longitude": POINT_LON + 0.0005}
    response = call(client, "post", f"{API}/scan", near, **auth)
    assert response.status_code == 200
    assert 40 < response.json()["in_distance_m"] < 55


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"token": ""},
        {"token": "x" * 201},
        {"token": "t", "latitude": 91},
        {"token": "t", "longitude": -181},
        {"token": "t", "latitude": "north"},
    ],
)
def test_bad_scan_input_is_422(client, volunteer, signup, body):
    response = call(client, "post", f"{API}/scan", body, **bearer(volunteer.user))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_leader_entries_through_the_api(client, leader, shift, signup, volunteer):
    auth = bearer(leader)
    url = f"{API}/signups/{signup.pk}"
    response = call(client, "post", f"{url}/check-out", {"reason": "r"}, **auth)
    assert response.status_code == 409
    arrived = (shift.starts_at + timedelta(minutes=1)).isoformat()
    response = call(
        client, "post", f"{url}/check-in", {"reason": "没带手机", "at": arrived}, **auth
    )
    assert response.status_code == 200
    assert response.json()["in_method"] == "leader" and response.json()["reason"] == "没带手机"
    response = call(client, "post", f"{url}/check-out", {"reason": "提前走"}, **auth)
    assert response.status_code == 200
    assert response.json()["state"] == "out"
    assert response.json()["served_minutes"] >= 28
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    response = call(client, "post", f"{url}/check-in", {"reason": "r", "at": future}, **auth)
    assert response.status_code in (400, 409)
    listing = client.get(f"{API}/shifts/{shift.pk}", **auth).json()
    assert listing["confirmed"] == 1 and listing["checked_out"] == 1
    (entry,) = listing["entries"]
    assert entry["name"] == volunteer.real_name and entry["phone"] == volunteer.user.phone
    assert AuditEntry.objects.filter(action__startswith="attendance.").count() == 2


def test_leader_entry_needs_a_reason(client, leader, signup):
    response = call(
        client, "post", f"{API}/signups/{signup.pk}/no-show", {"reason": ""}, **bearer(leader)
    )
    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_no_show_and_a_bad_time(client, leader, shift, signup):
    auth = bearer(leader)
    url = f"{API}/signups/{signup.pk}"
    response = call(client, "post", f"{url}/no-show", {"reason": "未到"}, **auth)
    assert response.status_code == 200 and response.json()["state"] == "no_show"
    early = (shift.starts_at - timedelta(hours=2)).isoformat()
    response = call(client, "post", f"{url}/check-in", {"reason": "r", "at": early}, **auth)
    assert response.status_code == 400 and response.json()["code"] == "bad_time"
    response = call(client, "post", f"{url}/check-in", {"reason": "r", "at": "yesterday"}, **auth)
    assert response.status_code == 422


def test_manager_reads_and_sets_the_policy(client, org_admin, project):
    auth = bearer(org_admin)
    url = f"{API}/projects/{project.pk}/policy"
    assert client.get(url, **auth).json() == {
        "project_id": project.pk,
        "geofence_required": False,
        "radius_m": 500,
    }
    response = call(client, "put", url, {"geofence_required": True, "radius_m": 250}, **auth)
    assert response.status_code == 200 and response.json()["radius_m"] == 250
    response = call(client, "put", url, {"geofence_required": True, "radius_m": 5}, **auth)
    assert response.status_code == 422
    assert AttendancePolicy.objects.get().radius_m == 250


def test_the_operations_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/attendance/shifts/{shift_id}/qr",
        "/api/v1/attendance/shifts/{shift_id}",
        "/api/v1/attendance/scan",
        "/api/v1/attendance/signups/{signup_id}",
        "/api/v1/attendance/signups/{signup_id}/check-in",
        "/api/v1/attendance/signups/{signup_id}/check-out",
        "/api/v1/attendance/signups/{signup_id}/no-show",
        "/api/v1/attendance/projects/{project_id}/policy",
    ):
        assert path in paths
