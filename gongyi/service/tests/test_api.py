"""/api/v1/hours: the same services as the pages, JSON errors, outsiders refused."""

import pytest

from gongyi.accounts.services import create_api_token
from gongyi.service import services
from gongyi.service.models import HoursDeclaration, RecordDispute, ServiceRecord
from gongyi.service.tests.conftest import attend, place
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db
API = "/api/v1/hours"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def post(client, user, path, data=None, **extra):
    return client.post(
        f"{API}{path}", data=data or {}, content_type="application/json", **bearer(user), **extra
    )


def get(client, user, path, **extra):
    return client.get(f"{API}{path}", **bearer(user), **extra)


def test_my_records_and_total(client, record, volunteer):
    body = get(client, volunteer.user, "/mine").json()
    assert body["total_minutes"] == 150 and body["total_hours"] == "2.5"
    (row,) = body["records"]
    assert row["id"] == record.pk and row["source"] == "attendance"
    assert row["recorded_by"] == "李领队" and row["effective"] is True
    assert row["hash"] == record.hash and row["seq"] == 1


def test_plain_account_is_told_to_register(client, outsider):
    response = get(client, outsider, "/mine")
    assert response.status_code == 400 and response.json()["code"] == "not_volunteer"


def test_leader_previews_and_confirms_leaving_one_out(client, shift, attendance, leader):
    other = make_volunteer(real_name="周路人")
    kept = attend(place(other, shift))
    preview = get(client, leader, f"/shifts/{shift.pk}").json()
    assert preview["shift_minutes"] == 180 and not preview["overdue"]
    assert sorted(r["state"] for r in preview["rows"]) == ["pending", "pending"]
    response = post(
        client,
        leader,
        f"/shifts/{shift.pk}/confirm",
        {"exclude": [{"attendance_id": attendance.pk, "reason": "未完成服务"}]},
    )
    assert response.status_code == 200
    body = response.json()
    assert [r["volunteer_number"] for r in body["created"]] == [other.number]
    assert body["excluded"] == [attendance.pk] and body["late"] is False
    assert ServiceRecord.objects.get().attendance == kept
    again = post(client, leader, f"/shifts/{shift.pk}/confirm").json()
    assert again["created"] == []


def test_late_confirmation_is_a_clear_403(client, project, volunteer, leader):
    from gongyi.service.tests.conftest import past_shift

    shift = past_shift(project, ended_days_ago=40)
    attend(place(volunteer, shift))
    response = post(client, leader, f"/shifts/{shift.pk}/confirm")
    assert response.status_code == 403 and response.json()["code"] == "late"
    assert "区级管理员" in response.json()["message"]


def test_declare_and_decide(client, signup, volunteer, leader):
    response = post(
        client, volunteer.user, f"/signups/{signup.pk}/declare", {"minutes": 100, "note": "忘签"}
    )
    assert response.status_code == 200 and response.json()["status"] == "pending"
    declaration_id = response.json()["id"]
    too_long = post(
        client, volunteer.user, f"/signups/{signup.pk}/declare", {"minutes": 999, "note": "x"}
    )
    assert too_long.status_code == 400 and too_long.json()["field"] == "minutes"
    decided = post(client, leader, f"/declarations/{declaration_id}/decide", {"accept": True})
    assert decided.json()["status"] == "confirmed" and decided.json()["record_id"]
    assert [d["id"] for d in get(client, volunteer.user, "/declarations").json()] == [
        declaration_id
    ]


def test_correct_and_reject(client, record, leader, volunteer):
    corrected = post(
        client, leader, f"/records/{record.pk}/correct", {"minutes": 120, "reason": "核对"}
    )
    assert corrected.status_code == 200
    correction = corrected.json()
    assert correction["corrects_id"] == record.pk and correction["minutes"] == 120
    assert get(client, volunteer.user, f"/records/{record.pk}").json()["effective"] is False
    stale = post(client, volunteer.user, f"/records/{record.pk}/reject", {"reason": "没去"})
    assert stale.status_code == 400 and stale.json()["code"] == "already_corrected"
    rejected = post(
        client, volunteer.user, f"/records/{correction['id']}/reject", {"reason": "没去"}
    )
    assert rejected.json()["minutes"] == 0 and rejected.json()["recorded_by"] == "袁小明"
    assert get(client, volunteer.user, "/mine").json()["total_minutes"] == 0


def test_dispute_round_trip(client, record, volunteer, leader, district_admin):
    opened = post(client, volunteer.user, f"/records/{record.pk}/dispute", {"reason": "少算"})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    dispute_id = opened.json()["id"]
    assert [d["id"] for d in get(client, leader, "/disputes").json()] == [dispute_id]
    answered = post(
        client, leader, f"/disputes/{dispute_id}/answer", {"answer": "已更正", "minutes": 170}
    )
    assert answered.json()["status"] == "answered" and answered.json()["correction_id"]
    escalated = post(
        client, volunteer.user, f"/disputes/{dispute_id}/escalate", {"reason": "仍有异议"}
    )
    assert escalated.json()["status"] == "escalated"
    resolved = post(
        client, district_admin, f"/disputes/{dispute_id}/resolve", {"resolution": "按170分钟"}
    )
    assert resolved.json()["status"] == "resolved"
    assert [d["id"] for d in get(client, volunteer.user, "/disputes/mine").json()] == [dispute_id]
    filtered = get(client, district_admin, "/disputes", data={"status": "open"}).json()
    assert filtered == []


def test_awaiting_list(client, shift, attendance, org_admin, outsider):
    rows = get(client, org_admin, "/awaiting").json()
    assert [r["shift_id"] for r in rows] == [shift.pk] and rows[0]["attendances"] == 1
    assert get(client, outsider, "/awaiting").status_code == 403


def test_outsider_is_refused_everywhere(client, record, volunteer, outsider, other_org_admin):
    dispute = services.dispute_open(actor=volunteer.user, record=record, reason="x")
    for user in (outsider, other_org_admin):
        assert get(client, user, f"/records/{record.pk}").status_code == 403
        assert get(client, user, f"/shifts/{record.shift_id}").status_code == 403
        assert get(client, user, f"/disputes/{dispute.pk}").status_code == 403
        for path, data in (
            (f"/records/{record.pk}/reject", {"reason": "x"}),
            (f"/records/{record.pk}/dispute", {"reason": "x"}),
            (f"/records/{record.pk}/correct", {"minutes": 1, "reason": "x"}),
            (f"/shifts/{record.shift_id}/confirm", {}),
            (f"/signups/{record.signup_id}/declare", {"minutes": 1, "note": "x"}),
            (f"/disputes/{dispute.pk}/answer", {"answer": "x"}),
            (f"/disputes/{dispute.pk}/escalate", {}),
            (f"/disputes/{dispute.pk}/resolve", {"resolution": "x"}),
            (f"/disputes/{dispute.pk}/accept", {}),
        ):
            response = post(client, user, path, data)
            assert response.status_code == 403, path
            assert response.json()["code"] == "forbidden"
    assert get(client, outsider, "/disputes").status_code == 403
    assert ServiceRecord.objects.count() == 1 and not HoursDeclaration.objects.exists()
    assert RecordDispute.objects.get().status == "open"


def test_anonymous_is_401_and_unknown_ids_404(client, volunteer):
    assert client.get(f"{API}/mine").status_code == 401
    assert client.post(f"{API}/shifts/1/confirm").status_code == 401
    assert get(client, volunteer.user, "/records/999999").status_code == 404
    assert (
        post(
            client, volunteer.user, "/signups/999999/declare", {"minutes": 1, "note": "x"}
        ).status_code
        == 404
    )


def test_bad_input_is_422_in_chinese(client, record, leader):
    response = post(client, leader, f"/records/{record.pk}/correct", {"minutes": -5, "reason": "x"})
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert ServiceRecord.objects.count() == 1


def test_confirming_costs_the_same_few_queries_per_volunteer(client, project, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongyi.service.tests.conftest import past_shift

    headers = bearer(leader)

    def confirm(volunteers: int) -> int:
        shift = past_shift(project)
        for _ in range(volunteers):
            attend(place(make_volunteer(), shift))
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                f"{API}/shifts/{shift.pk}/confirm", {}, content_type="application/json", **headers
            )
        assert len(response.json()["created"]) == volunteers
        return len(captured)

    one, five = confirm(1), confirm(5)
    # Per volunteer: lock, re-check, chain head, insert, the tallies' queue row, audit entry,
    # notice.
    assert five - one <= 4 * 7
