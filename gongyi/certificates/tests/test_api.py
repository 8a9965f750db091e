"""The certificates API: request, list, download, verify; passports from apply to verify."""

import io

import pytest
from pypdf import PdfReader

from gongyi.certificates import pdf, services, throttle
from gongyi.certificates.models import Certificate, Passport
from gongyi.certificates.tests.conftest import bearer
from gongyi.service import services as ledger_services

pytestmark = pytest.mark.django_db
API = "/api/v1/certificates"


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


@pytest.fixture
def certificate(holder, records):
    return services.certificate_request(volunteer=holder)


def test_request_answers_number_code_and_url(client, holder, records, other_project):
    response = post(client, f"{API}/", {"project_ids": [other_project.pk]}, **bearer(holder.user))
    assert response.status_code == 200
    body = response.json()
    certificate = Certificate.objects.get()
    assert body["number"] == certificate.number and body["code"] == certificate.code
    assert body["hours"] == "1.0" and body["record_count"] == 1
    assert body["verify_url"].startswith("http://testserver/certificates/verify/?number=")
    assert certificate.code in body["verify_url"]
    assert body["pdf_url"] == f"{API}/pdf/{certificate.number}"
    mine = client.get(f"{API}/mine", **bearer(holder.user))
    assert [c["number"] for c in mine.json()] == [certificate.number]


def test_request_refusals_are_json_and_change_nothing(client, holder, records, outsider):
    auth = bearer(holder.user)
    empty = post(client, f"{API}/", {"start": "2031-01-01"}, **auth)
    assert empty.status_code == 400 and empty.json()["code"] == "no_records"
    backwards = post(client, f"{API}/", {"start": "2026-05-01", "end": "2026-04-01"}, **auth)
    assert backwards.status_code == 400 and backwards.json()["code"] == "bad_period"
    bad = post(client, f"{API}/", {"start": "yesterday", "language": "fr"}, **auth)
    assert bad.status_code == 422
    too_many = post(client, f"{API}/", {"project_ids": list(range(1, 60))}, **auth)
    assert too_many.status_code == 422
    plain = post(client, f"{API}/", {}, **bearer(outsider))
    assert plain.status_code == 400 and plain.json()["code"] == "not_volunteer"
    assert not Certificate.objects.exists()


def test_anonymous_is_401(client, certificate):
    assert post(client, f"{API}/", {}).status_code == 401
    assert client.get(f"{API}/mine").status_code == 401
    assert client.get(f"{API}/pdf/{certificate.number}").status_code == 401
    assert post(client, f"{API}/passport", {}).status_code == 401
    assert client.get(f"{API}/passport/queue").status_code == 401


def test_pdf_for_the_holder_only(
    client, holder, certificate, other_volunteer, staff_user, cjk_font
):
    url = f"{API}/pdf/{certificate.number}"
    response = client.get(url + "?lang=en", **bearer(holder.user))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Certificate of Volunteer Service" in text and "梁小明" in text
    for someone in (other_volunteer.user, staff_user):
        refused = client.get(url, **bearer(someone))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert client.get(f"{API}/pdf/ZM209900000001", **bearer(holder.user)).status_code == 404
    assert client.get(url + "?lang=xx", **bearer(holder.user)).status_code == 422


def test_pdf_without_font_is_503(client, holder, certificate, monkeypatch):
    monkeypatch.setattr(pdf, "find_font", lambda: None)
    response = client.get(f"{API}/pdf/{certificate.number}", **bearer(holder.user))
    assert response.status_code == 503 and response.json()["code"] == "font_missing"


def test_verify_genuine_forged_revoked(client, certificate, records, org_admin):
    genuine = client.get(f"{API}/verify", {"number": certificate.number, "code": certificate.code})
    assert genuine.status_code == 200
    body = genuine.json()
    assert body["status"] == "genuine" and body["holder"] == "梁**"
    assert body["hours"] == "5.0" and len(body["records"]) == 3
    assert "梁小明" not in genuine.content.decode()
    forged = client.get(f"{API}/verify", {"number": certificate.number, "code": "ABCDEFGH"})
    unknown = client.get(f"{API}/verify", {"number": "ZM2099", "code": certificate.code})
    assert forged.status_code == unknown.status_code == 404
    assert forged.json() == unknown.json()
    correction = ledger_services.record_correct(
        actor=org_admin, record=records[0], minutes=10, reason="签到时间有误"
    )
    services.revoke_for_correction(record=records[0], correction=correction)
    revoked = client.get(f"{API}/verify", {"number": certificate.number, "code": certificate.code})
    assert revoked.json()["status"] == "revoked"
    assert revoked.json()["revoked_reason"] == "签到时间有误"
    assert revoked.json()["revoked_at"]


def test_verify_is_throttled(client, certificate, monkeypatch):
    monkeypatch.setattr(throttle, "MAX_FAILURES", 2)
    for _ in range(2):
        client.get(f"{API}/verify", {"number": certificate.number, "code": "WRONGONE"})
    blocked = client.get(f"{API}/verify", {"number": certificate.number, "code": certificate.code})
    assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_attempts"
    passport = client.get(f"{API}/passport/verify", {"number": "HZ1", "code": "X"})
    assert passport.status_code == 429


def test_passport_apply_issue_verify(client, holder, records, district, district_admin, cjk_font):
    auth = bearer(holder.user)
    assert client.get(f"{API}/passport", **auth).status_code == 404
    needs = post(client, f"{API}/passport", {}, **auth)
    assert needs.status_code == 400 and needs.json()["code"] == "district_required"
    assert post(client, f"{API}/passport", {"district_id": 999999}, **auth).status_code == 404
    applied = post(client, f"{API}/passport", {"district_id": district.pk}, **auth)
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert applied.json()["number"] is None and applied.json()["code"] is None
    passport_id = applied.json()["id"]
    admin = bearer(district_admin)
    queue = client.get(f"{API}/passport/queue", **admin).json()
    assert [a["id"] for a in queue] == [passport_id] and queue[0]["hours"] == "5.0"
    issued = post(client, f"{API}/passport/{passport_id}/issue", **admin)
    assert issued.status_code == 200 and issued.json()["number"] == "HZ310101000001"
    again = post(client, f"{API}/passport/{passport_id}/issue", **admin)
    assert again.status_code == 400 and again.json()["code"] == "not_applied"
    mine = client.get(f"{API}/passport", **auth).json()
    assert mine["status"] == "issued" and mine["stars"] == 0 and mine["hours"] == "5.0"
    assert [s["organisation"] for s in mine["stamps"]][1] == "黄浦区图书馆志愿服务队"
    assert mine["years"] == [{"year": 2026, "minutes": 300, "hours": "5.0"}]
    document = client.get(f"{API}/passport/pdf", **auth)
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    public = client.get(
        f"{API}/passport/verify", {"number": mine["number"], "code": mine["code"]}
    ).json()
    assert public["holder"] == "梁**" and public["hours"] == "5.0"
    forged = client.get(f"{API}/passport/verify", {"number": mine["number"], "code": "XXXXXXXX"})
    assert forged.status_code == 404


def test_passport_decisions_refuse_others(
    client, holder, district, other_district_admin, outsider, city_admin
):
    passport = services.passport_apply(volunteer=holder, district=district)
    assert client.get(f"{API}/passport/queue", **bearer(outsider)).status_code == 403
    assert client.get(f"{API}/passport/queue", **bearer(other_district_admin)).json() == []
    for someone in (outsider, other_district_admin, city_admin, holder.user):
        auth = bearer(someone)
        assert post(client, f"{API}/passport/{passport.pk}/issue", **auth).status_code == 403
        refused = post(client, f"{API}/passport/{passport.pk}/reject", {"reason": "x"}, **auth)
        assert refused.status_code == 403
    passport.refresh_from_db()
    assert passport.status == Passport.Status.APPLIED


def test_passport_reject_needs_a_reason(client, holder, district, district_admin):
    passport = services.passport_apply(volunteer=holder, district=district)
    auth = bearer(district_admin)
    url = f"{API}/passport/{passport.pk}/reject"
    assert post(client, url, {"reason": ""}, **auth).status_code == 422
    rejected = post(client, url, {"reason": "资料不全"}, **auth)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "资料不全"
    assert post(client, f"{API}/passport/999999/issue", **auth).status_code == 404


def test_passport_pdf_before_issue_is_404(client, holder, district):
    services.passport_apply(volunteer=holder, district=district)
    response = client.get(f"{API}/passport/pdf", **bearer(holder.user))
    assert response.status_code == 404
