"""The signups API: same services as the pages, JSON refusals, Idempotency-Key."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from gongyi.accounts.services import create_api_token
from gongyi.api import api
from gongyi.signups.api import SignupOut, signup_out
from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.signups.tests.conftest import make_project, make_shift

pytestmark = pytest.mark.django_db
S = Signup.Status
API = "/api/v1/signups"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def test_signup_with_idempotency_key_answers_the_same(client, shift, volunteer):
    auth = bearer(volunteer.user)
    url = f"{API}/shifts/{shift.pk}"
    first = client.post(url, HTTP_IDEMPOTENCY_KEY="abc-1", **auth)
    again = client.post(url, HTTP_IDEMPOTENCY_KEY="abc-1", **auth)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["status"] == "confirmed"
    assert Signup.objects.count() == 1


def test_the_signup_answer_is_what_ninja_renders_for_the_schema(client, shift, volunteer):
    response = client.post(f"{API}/shifts/{shift.pk}", **bearer(volunteer.user))
    assert response.status_code == 200 and response["Content-Type"] == api.get_content_type()
    signup = Signup.objects.get()
    validated = SignupOut.model_validate(signup_out(signup)).model_dump()
    assert response.content.decode() == api.renderer.render(None, validated, response_status=200)
    assert response.json()["status"] == "confirmed" and response.json()["can_cancel"]


def test_refusal_is_json_in_chinese_and_english(client, org, volunteer):
    project = make_project(org, min_age=99, max_age=100)
    shift = make_shift(project)
    auth = bearer(volunteer.user)
    response = client.post(f"{API}/shifts/{shift.pk}", **auth)
    assert response.status_code == 400
    assert response.json()["code"] == "too_young"
    assert "99" in response.json()["message"] and "岁" in response.json()["message"]
    english = client.post(f"{API}/shifts/{shift.pk}", HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert "at least 99" in english.json()["message"]


def test_plain_account_is_told_to_register(client, shift, outsider):
    response = client.post(f"{API}/shifts/{shift.pk}", **bearer(outsider))
    assert response.status_code == 400 and response.json()["code"] == "not_volunteer"


def test_unknown_ids_are_404(client, volunteer):
    auth = bearer(volunteer.user)
    assert client.post(f"{API}/shifts/999999", **auth).status_code == 404
    assert client.post(f"{API}/999999/cancel", **auth).status_code == 404
    assert client.get(f"{API}/draws/P000", **auth).status_code == 404


def test_anonymous_is_401(client, shift):
    assert client.post(f"{API}/shifts/{shift.pk}").status_code == 401
    assert client.get(f"{API}/mine").status_code == 401
    assert client.get(f"{API}/shifts/{shift.pk}/roster").status_code == 401


def test_mine_and_cancel(client, shift, volunteer):
    signup = signup_create(volunteer=volunteer, shift=shift)
    auth = bearer(volunteer.user)
    mine = client.get(f"{API}/mine", **auth).json()
    assert [m["id"] for m in mine] == [signup.pk] and mine[0]["can_cancel"]
    cancelled = client.post(f"{API}/{signup.pk}/cancel", **auth)
    assert cancelled.json()["status"] == "cancelled"


def test_outsider_cannot_cancel_or_see_roster(client, shift, volunteer, outsider):
    signup = signup_create(volunteer=volunteer, shift=shift)
    auth = bearer(outsider)
    assert client.post(f"{API}/{signup.pk}/cancel", **auth).status_code == 403
    assert client.get(f"{API}/shifts/{shift.pk}/roster", **auth).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "other_org_admin", "other_district_admin"])
def test_organiser_endpoints_refuse_others(client, shift, volunteer, who, request):
    signup = signup_create(volunteer=volunteer, shift=shift)
    auth = bearer(request.getfixturevalue(who))
    project_id = shift.project_id
    calls = [
        ("get", f"{API}/shifts/{shift.pk}/roster", None),
        ("post", f"{API}/{signup.pk}/approve", None),
        ("post", f"{API}/{signup.pk}/reject", {"reason": "x"}),
        ("post", f"{API}/{signup.pk}/move", {"shift_id": shift.pk}),
        ("post", f"{API}/shifts/{shift.pk}/capacity", {"capacity": 9}),
        ("get", f"{API}/projects/{project_id}/export", None),
        ("post", f"{API}/projects/{project_id}/cancel", {"reason": "x"}),
        ("post", f"{API}/projects/{project_id}/draw", None),
    ]
    for method, url, data in calls:
        kwargs = {"data": data, "content_type": "application/json"} if data else {}
        response = getattr(client, method)(url, **kwargs, **auth)
        assert response.status_code == 403, url
    signup.refresh_from_db()
    assert signup.status == S.CONFIRMED


def test_organiser_roster_decisions_capacity_and_export(client, org, org_admin, volunteers):
    project = make_project(org, review_required=True)
    shift = make_shift(project, capacity=1)
    other = make_shift(project, capacity=2, start=shift.starts_at + timedelta(days=1))
    a, b = (signup_create(volunteer=v, shift=shift) for v in volunteers[:2])
    auth = bearer(org_admin)
    roster = client.get(f"{API}/shifts/{shift.pk}/roster", **auth).json()
    assert {e["phone"] for e in roster["entries"]} == {v.user.phone for v in volunteers[:2]}
    assert client.post(f"{API}/{a.pk}/approve", **auth).json()["status"] == "confirmed"
    no_reason = client.post(
        f"{API}/{b.pk}/reject", data={"reason": ""}, content_type="application/json", **auth
    )
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    moved = client.post(
        f"{API}/{a.pk}/move", data={"shift_id": other.pk}, content_type="application/json", **auth
    )
    assert moved.json()["shift_id"] == other.pk
    low = client.post(
        f"{API}/shifts/{other.pk}/capacity",
        data={"capacity": 0},
        content_type="application/json",
        **auth,
    )
    assert low.status_code == 400 and low.json()["code"] == "below_taken"
    unlimited = client.post(
        f"{API}/shifts/{other.pk}/capacity",
        data={"capacity": None},
        content_type="application/json",
        **auth,
    )
    assert unlimited.json() == {"id": other.pk, "capacity": None, "taken": 1}
    text = client.get(f"{API}/projects/{project.pk}/export?format=csv", **auth).content
    assert len(list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))) == 3
    xlsx = client.get(f"{API}/projects/{project.pk}/export?format=xlsx", **auth).content
    assert load_workbook(io.BytesIO(xlsx)).active.max_row == 3


def test_project_cancel_api(client, shift, volunteer, org_admin):
    signup_create(volunteer=volunteer, shift=shift)
    response = client.post(
        f"{API}/projects/{shift.project_id}/cancel",
        data={"reason": "台风"},
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.json()["status"] == "cancelled"
    assert volunteer.user.notices.filter(kind="project.cancelled").exists()


def test_huge_ids_are_422_not_500(client, volunteer):
    response = client.post(f"{API}/shifts/{2**70}", **bearer(volunteer.user))
    assert response.status_code == 422
