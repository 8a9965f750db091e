"""Verification: the district admin of the organisation's district decides; nobody else."""

import pytest
from django.urls import reverse

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.orgs import selectors, services
from gongyi.orgs.models import Organisation
from gongyi.orgs.tests.conftest import credit_code, form_data_for_edit


def test_the_district_admin_of_that_district_verifies(district_admin, pending_org):
    org = services.org_review(actor=district_admin, org=pending_org, approve=True)
    assert org.status == Organisation.Status.VERIFIED
    assert org.can_publish and selectors.can_publish(org)
    assert org.reviewed_by == district_admin
    assert AuditEntry.objects.filter(action="org.verified", target_id=str(org.pk)).exists()


def test_the_city_admin_verifies_too(city_admin, pending_org):
    org = services.org_review(actor=city_admin, org=pending_org, approve=True)
    assert org.status == Organisation.Status.VERIFIED


@pytest.mark.parametrize("who", ["other_district_admin", "outsider", "applicant"])
def test_nobody_else_verifies(request, who, pending_org):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.org_review(actor=actor, org=pending_org, approve=True)
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_a_rejection_needs_a_reason(district_admin, pending_org):
    with pytest.raises(ServiceError) as error:
        services.org_review(actor=district_admin, org=pending_org, approve=False, reason=" ")
    assert error.value.code == "reason_required"
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_a_decided_org_cannot_be_decided_again(district_admin, pending_org):
    services.org_review(actor=district_admin, org=pending_org, approve=True)
    with pytest.raises(ServiceError) as error:
        services.org_review(actor=district_admin, org=pending_org, approve=False, reason="x")
    assert error.value.code == "not_pending"


# --- pages ----------------------------------------------------------------------------------


def test_the_queue_lists_pending_orgs_of_the_admins_districts(
    client, district_admin, pending_org, other_district, applicant
):
    from gongyi.orgs.tests.conftest import org_fields

    elsewhere = services.org_register(actor=applicant, **org_fields(other_district))
    client.force_login(district_admin)
    html = client.get(reverse("orgs:review_queue")).content.decode()
    assert pending_org.name in html
    assert elsewhere.name not in html


def test_the_city_admin_sees_every_district_in_the_queue(client, city_admin, pending_org):
    client.force_login(city_admin)
    assert pending_org.name in client.get(reverse("orgs:review_queue")).content.decode()


def test_the_queue_refuses_outsiders_and_visitors(client, outsider, db):
    response = client.get(reverse("orgs:review_queue"))
    assert response.status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("orgs:review_queue")).status_code == 403


def test_approving_through_the_page(client, district_admin, pending_org):
    client.force_login(district_admin)
    url = reverse("orgs:review", args=[pending_org.pk])
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 302
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.VERIFIED


@pytest.mark.parametrize("who", ["other_district_admin", "outsider"])
def test_the_review_page_refuses_others(client, request, who, pending_org):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("orgs:review", args=[pending_org.pk]), {"decision": "approve"})
    assert response.status_code == 403
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_the_review_page_sends_a_visitor_to_log_in(client, pending_org):
    response = client.post(reverse("orgs:review", args=[pending_org.pk]), {"decision": "approve"})
    assert response.status_code == 302
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_rejecting_without_reason_on_the_page_changes_nothing(client, district_admin, pending_org):
    client.force_login(district_admin)
    url = reverse("orgs:review", args=[pending_org.pk])
    response = client.post(url, {"decision": "reject", "reason": ""}, follow=True)
    assert "理由" in response.content.decode()
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING


def test_the_applicant_sees_the_reason_edits_and_resubmits(
    client, district_admin, applicant, pending_org
):
    client.force_login(district_admin)
    client.post(
        reverse("orgs:review", args=[pending_org.pk]),
        {"decision": "reject", "reason": "营业执照照片看不清"},
    )
    client.force_login(applicant)
    detail = client.get(reverse("orgs:detail", args=[pending_org.pk])).content.decode()
    assert "营业执照照片看不清" in detail
    data = form_data_for_edit(pending_org, address="南京东路200号")
    response = client.post(reverse("orgs:edit", args=[pending_org.pk]), data)
    assert response.status_code == 302
    pending_org.refresh_from_db()
    assert pending_org.status == Organisation.Status.PENDING
    assert pending_org.address == "南京东路200号"
    assert pending_org.rejection_reason == ""
    assert AuditEntry.objects.filter(action="org.resubmitted").count() == 1


def test_the_reason_is_not_shown_to_outsiders(client, district_admin, outsider, pending_org):
    services.org_review(actor=district_admin, org=pending_org, approve=False, reason="材料不全")
    client.force_login(outsider)
    assert client.get(reverse("orgs:detail", args=[pending_org.pk])).status_code == 404


def test_changing_the_name_of_a_verified_org_sends_it_back(org_admin, org):
    org.credit_code = credit_code()
    org.save()
    services.org_update(actor=org_admin, org=org, name="新名字协会")
    org.refresh_from_db()
    assert org.status == Organisation.Status.PENDING


def test_editing_the_address_keeps_a_verified_org_verified(org_admin, org):
    org.credit_code = credit_code()
    org.save()
    services.org_update(actor=org_admin, org=org, address="人民大道1号")
    org.refresh_from_db()
    assert org.status == Organisation.Status.VERIFIED


@pytest.mark.parametrize("who", ["outsider", "district_admin", "member"])
def test_only_the_org_admin_edits(client, request, who, org):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("orgs:edit", args=[org.pk])).status_code == 403


def test_editing_an_unknown_org_is_404(client, org_admin, db):
    client.force_login(org_admin)
    assert client.get(reverse("orgs:edit", args=[999999])).status_code == 404
