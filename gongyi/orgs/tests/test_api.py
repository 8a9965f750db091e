"""The orgs API under /api/v1/orgs: same rules as the pages, JSON errors with codes."""

import pytest

from gongyi.orgs.models import Membership, Organisation
from gongyi.orgs.tests.conftest import credit_code, image_upload

BASE = "/api/v1/orgs"


def payload(district, **changes):
    data = {
        "name": "接口注册协会",
        "kind": "association",
        "credit_code": credit_code(),
        "district_id": district.pk,
        "address": "南京东路1号",
        "contact_name": "李四",
        "contact_phone": "13712345678",
        "introduction": "",
    }
    data.update(changes)
    return data


def post(client, path, data=None):
    return client.post(BASE + path, data or {}, content_type="application/json")


def test_the_list_is_public_paginated_and_masked(client, org, pending_org):
    body = client.get(BASE + "/").json()
    assert body["count"] == 1 and body["pages"] == 1
    item = body["items"][0]
    assert item["name"] == org.name
    assert item["contact_phone"] == "139****5678" and item["contact_name"] == "王**"
    assert item["rejection_reason"] is None


def test_the_list_filters(client, org, district, other_district):
    assert client.get(BASE + "/", {"district": other_district.pk}).json()["count"] == 0
    assert client.get(BASE + "/", {"kind": "school"}).json()["count"] == 0
    assert client.get(BASE + "/", {"q": org.name[:4]}).json()["count"] == 1


def test_bad_list_filters_are_a_422(client, db):
    response = client.get(BASE + "/", {"kind": "boss", "page": 0})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_the_detail_is_masked_for_visitors_and_full_for_members(client, org, member):
    assert client.get(f"{BASE}/{org.pk}").json()["contact_phone"] == "139****5678"
    client.force_login(member)
    assert client.get(f"{BASE}/{org.pk}").json()["contact_phone"] == "13912345678"


def test_unknown_and_pending_orgs_are_404(client, pending_org, outsider):
    assert client.get(f"{BASE}/999999").status_code == 404
    client.force_login(outsider)
    response = client.get(f"{BASE}/{pending_org.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_registering_needs_a_login(client, district):
    assert post(client, "/", payload(district)).status_code == 401
    assert not Organisation.objects.exists()


def test_registering(client, applicant, district):
    client.force_login(applicant)
    response = post(client, "/", payload(district))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending" and body["contact_phone"] == "13712345678"
    assert Membership.objects.get(organisation_id=body["id"]).user == applicant


def test_bad_input_is_a_translated_error_and_changes_nothing(client, applicant, district):
    client.force_login(applicant)
    response = post(client, "/", payload(district, credit_code="91350100M000100Y44"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "credit_code_invalid" and body["field"] == "credit_code"
    assert "校验" in body["message"]
    response = client.post(
        BASE + "/",
        payload(district, credit_code="91350100M000100Y44"),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "check character" in response.json()["message"]
    response = post(client, "/", payload(district, district_id=999999))
    assert response.json()["code"] == "region_unknown"
    assert post(client, "/", {"name": "x"}).status_code == 422
    assert not Organisation.objects.exists()


def test_review_by_the_district_admin(client, district_admin, pending_org):
    client.force_login(district_admin)
    queue = client.get(BASE + "/review-queue").json()
    assert [o["id"] for o in queue] == [pending_org.pk]
    response = post(client, f"/{pending_org.pk}/review", {"decision": "reject", "reason": ""})
    assert response.json()["code"] == "reason_required"
    response = post(client, f"/{pending_org.pk}/review", {"decision": "reject", "reason": "补材料"})
    assert response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "补材料"


@pytest.mark.parametrize("who", ["other_district_admin", "outsider"])
def test_review_refuses_others(client, request, who, pending_org):
    client.force_login(request.getfixturevalue(who))
    response = post(client, f"/{pending_org.pk}/review", {"decision": "approve"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    pending_org.refresh_from_db()
    assert pending_org.status == "pending"


def test_the_review_queue_refuses_outsiders(client, outsider):
    client.force_login(outsider)
    assert client.get(BASE + "/review-queue").status_code == 403


def test_review_of_an_unknown_org_is_404(client, district_admin):
    client.force_login(district_admin)
    assert post(client, "/999999/review", {"decision": "approve"}).status_code == 404


def test_editing_resubmits_a_rejected_org(client, applicant, district_admin, pending_org):
    client.force_login(district_admin)
    post(client, f"/{pending_org.pk}/review", {"decision": "reject", "reason": "地址不对"})
    client.force_login(applicant)
    response = client.patch(
        f"{BASE}/{pending_org.pk}", {"address": "人民路2号"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "pending"


def test_editing_refuses_outsiders_and_bad_values(client, outsider, org_admin, org):
    client.force_login(outsider)
    response = client.patch(f"{BASE}/{org.pk}", {"address": "x"}, content_type="application/json")
    assert response.status_code == 403
    client.force_login(org_admin)
    response = client.patch(
        f"{BASE}/{org.pk}", {"contact_phone": "123"}, content_type="application/json"
    )
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.contact_phone == "13912345678"


def test_uploading_a_logo(client, org_admin, org, outsider):
    org.credit_code = credit_code()
    org.save()
    client.force_login(outsider)
    assert client.post(f"{BASE}/{org.pk}/logo", {"logo": image_upload()}).status_code == 403
    client.force_login(org_admin)
    response = client.post(f"{BASE}/{org.pk}/logo", {"logo": image_upload(fmt="JPEG")})
    assert response.status_code == 200
    assert response.json()["logo_url"].endswith(".png")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<svg/>", content_type="image/png")
    response = client.post(f"{BASE}/{org.pk}/logo", {"logo": fake})
    assert response.json()["code"] == "logo_invalid"


def test_invite_accept_and_members(client, org_admin, org, outsider):
    client.force_login(org_admin)
    response = post(client, f"/{org.pk}/members", {"phone": outsider.phone, "role": "leader"})
    assert response.status_code == 201
    invitation_id = response.json()["id"]
    client.force_login(outsider)
    mine = client.get(BASE + "/mine").json()
    assert mine[0]["status"] == "invited"
    assert post(client, f"/memberships/{invitation_id}/answer", {"accept": True}).status_code == 200
    members = client.get(f"{BASE}/{org.pk}/members").json()
    assert {m["role"] for m in members} == {"admin", "leader"}
    assert org_admin.phone not in {m["phone"] for m in members}


def test_join_decide_role_remove_leave(client, org_admin, org, outsider):
    client.force_login(outsider)
    request_id = post(client, f"/{org.pk}/join", {"message": "你好"}).json()["id"]
    assert post(client, f"/{org.pk}/join").json()["code"] == "already_requested"
    client.force_login(org_admin)
    assert (
        post(client, f"/memberships/{request_id}/decide", {"decision": "approve"}).json()["status"]
        == "active"
    )
    assert post(client, f"/memberships/{request_id}/role", {"role": "admin"}).json()["role"] == (
        "admin"
    )
    assert post(client, f"/{org.pk}/leave").json()["status"] == "left"
    client.force_login(outsider)
    response = post(client, f"/{org.pk}/leave")
    assert response.json()["code"] == "last_admin"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/memberships/{m}/decide", {"decision": "approve"}),
        ("/memberships/{m}/role", {"role": "admin"}),
        ("/memberships/{m}/remove", {}),
        ("/memberships/{m}/answer", {"accept": True}),
        ("/{org}/members", {"phone": "13000000000", "role": "admin"}),
    ],
)
def test_member_endpoints_refuse_outsiders(client, path, data, outsider, member, org):
    membership = Membership.objects.get(user=member)
    client.force_login(outsider)
    response = post(client, path.format(m=membership.pk, org=org.pk), data)
    assert response.status_code == 403
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "member")


def test_the_member_list_refuses_outsiders(client, outsider, org):
    client.force_login(outsider)
    assert client.get(f"{BASE}/{org.pk}/members").status_code == 403


@pytest.mark.parametrize(
    "path", ["/memberships/999999/decide", "/memberships/999999/remove", "/999999/join"]
)
def test_member_endpoints_answer_404_for_unknown_ids(client, org_admin, path):
    client.force_login(org_admin)
    assert post(client, path, {"decision": "approve"}).status_code == 404


def test_a_bearer_token_sees_private_data(client, member, org):
    from gongyi.accounts.api_auth import token_hash
    from gongyi.accounts.models import ApiToken

    ApiToken.objects.create(user=member, name="t", key_hash=token_hash("secret-key"), prefix="s")
    body = client.get(f"{BASE}/{org.pk}", HTTP_AUTHORIZATION="Bearer secret-key").json()
    assert body["contact_phone"] == "13912345678"


def test_the_list_costs_the_same_queries_for_many_orgs(
    client, member, district, django_assert_max_num_queries
):
    from gongyi.testing.people import make_org

    for n in range(20):
        make_org(district, name=f"接口查询协会{n:02d}")
    client.force_login(member)
    with django_assert_max_num_queries(5):
        assert len(client.get(BASE + "/").json()["items"]) == 20


def test_ids_beyond_the_databases_range_are_a_clear_422(client, org_admin, org):
    """Found by schemathesis: a 24-digit district id overflowed SQLite's integer (500)."""
    huge = 10**23
    response = client.get(f"/api/v1/orgs/?district={huge}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    client.force_login(org_admin)
    response = client.patch(
        f"/api/v1/orgs/{org.pk}", {"district_id": huge}, content_type="application/json"
    )
    assert response.status_code == 422
