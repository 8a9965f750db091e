"""Members and roles: invitations, join requests, role changes, removal, leaving, the page."""

import pytest
from django.urls import reverse

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.orgs import services
from gongyi.orgs.models import Membership
from gongyi.testing.people import make_user


@pytest.fixture
def invitee(db):
    return make_user(display_name="被邀请人")


@pytest.fixture
def invitation(org_admin, org, invitee):
    return services.membership_invite(actor=org_admin, org=org, phone=invitee.phone, role="leader")


def test_the_invited_user_accepts(invitation, invitee):
    membership = services.membership_answer_invitation(
        actor=invitee, membership=invitation, accept=True
    )
    assert (membership.status, membership.role) == ("active", "leader")
    assert AuditEntry.objects.filter(action="membership.accepted").exists()


def test_the_invited_user_declines(invitation, invitee):
    membership = services.membership_answer_invitation(
        actor=invitee, membership=invitation, accept=False
    )
    assert membership.status == "declined"


def test_nobody_else_answers_an_invitation(invitation, outsider, org_admin):
    for actor in (outsider, org_admin):
        with pytest.raises(NotAllowed):
            services.membership_answer_invitation(actor=actor, membership=invitation, accept=True)
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_an_invitation_is_answered_once(invitation, invitee):
    services.membership_answer_invitation(actor=invitee, membership=invitation, accept=True)
    with pytest.raises(ServiceError) as error:
        services.membership_answer_invitation(actor=invitee, membership=invitation, accept=False)
    assert error.value.code == "wrong_status"


def test_inviting_twice_or_a_member_is_refused(org_admin, org, invitation, invitee, member):
    with pytest.raises(ServiceError) as error:
        services.membership_invite(actor=org_admin, org=org, phone=invitee.phone, role="member")
    assert error.value.code == "already_invited"
    with pytest.raises(ServiceError) as error:
        services.membership_invite(actor=org_admin, org=org, phone=member.phone, role="member")
    assert error.value.code == "already_active"


def test_inviting_an_unknown_number_is_refused(org_admin, org):
    with pytest.raises(ServiceError) as error:
        services.membership_invite(actor=org_admin, org=org, phone="13099999999", role="member")
    assert error.value.code == "no_such_user"


def test_only_the_org_admin_invites(member, outsider, district_admin, org, invitee):
    for actor in (member, outsider, district_admin):
        with pytest.raises(NotAllowed):
            services.membership_invite(actor=actor, org=org, phone=invitee.phone, role="member")
    assert not Membership.objects.filter(user=invitee).exists()


def test_a_join_request_is_approved(outsider, org_admin, org):
    request = services.membership_request(actor=outsider, org=org, message="我想参加")
    assert request.status == "requested"
    membership = services.membership_decide(actor=org_admin, membership=request, approve=True)
    assert (membership.status, membership.role) == ("active", "member")


def test_a_join_request_is_rejected_with_a_reason(outsider, org_admin, org):
    request = services.membership_request(actor=outsider, org=org)
    with pytest.raises(ServiceError):
        services.membership_decide(actor=org_admin, membership=request, approve=False)
    membership = services.membership_decide(
        actor=org_admin, membership=request, approve=False, reason="名额已满"
    )
    assert (membership.status, membership.reason) == ("rejected", "名额已满")
    # A refused user may ask again later.
    again = services.membership_request(actor=outsider, org=org)
    assert again.status == "requested"


def test_asking_twice_is_refused_and_changes_nothing(outsider, org):
    services.membership_request(actor=outsider, org=org)
    with pytest.raises(ServiceError) as error:
        services.membership_request(actor=outsider, org=org)
    assert error.value.code == "already_requested"
    assert Membership.objects.filter(user=outsider).count() == 1


def test_nobody_joins_an_unverified_org(outsider, pending_org):
    with pytest.raises(ServiceError) as error:
        services.membership_request(actor=outsider, org=pending_org)
    assert error.value.code == "org_not_verified"


def test_only_the_org_admin_decides_a_request(outsider, member, district_admin, org):
    request = services.membership_request(actor=outsider, org=org)
    for actor in (member, district_admin, outsider):
        with pytest.raises(NotAllowed):
            services.membership_decide(actor=actor, membership=request, approve=True)


def test_the_admin_changes_a_role_and_removes_a_member(org_admin, org, member):
    membership = Membership.objects.get(user=member, organisation=org)
    membership = services.membership_change_role(
        actor=org_admin, membership=membership, role="leader"
    )
    assert membership.role == "leader"
    membership = services.membership_remove(actor=org_admin, membership=membership)
    assert membership.status == "removed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"membership.role_changed", "membership.removed"} <= actions


def test_the_last_admin_can_neither_leave_nor_be_demoted_nor_removed(org_admin, org):
    admin_membership = Membership.objects.get(user=org_admin, organisation=org)
    with pytest.raises(ServiceError) as error:
        services.membership_leave(actor=org_admin, org=org)
    assert error.value.code == "last_admin"
    with pytest.raises(ServiceError) as error:
        services.membership_change_role(actor=org_admin, membership=admin_membership, role="member")
    assert error.value.code == "last_admin"
    with pytest.raises(ServiceError):
        services.membership_remove(actor=org_admin, membership=admin_membership)
    admin_membership.refresh_from_db()
    assert (admin_membership.status, admin_membership.role) == ("active", "admin")


def test_an_admin_leaves_once_there_is_another(org_admin, org, member):
    services.membership_change_role(
        actor=org_admin, membership=Membership.objects.get(user=member), role="admin"
    )
    membership = services.membership_leave(actor=org_admin, org=org)
    assert membership.status == "left"


def test_a_member_leaves(member, org):
    assert services.membership_leave(actor=member, org=org).status == "left"
    with pytest.raises(ServiceError) as error:
        services.membership_leave(actor=member, org=org)
    assert error.value.code == "not_member"


def test_a_bad_role_is_refused(org_admin, org, member):
    membership = Membership.objects.get(user=member)
    with pytest.raises(ServiceError):
        services.membership_change_role(actor=org_admin, membership=membership, role="boss")
    membership.refresh_from_db()
    assert membership.role == "member"


# --- pages ----------------------------------------------------------------------------------


def test_the_members_page_shows_names_and_full_phones_to_the_admin(client, org_admin, org, member):
    client.force_login(org_admin)
    html = client.get(reverse("orgs:members", args=[org.pk])).content.decode()
    assert "普通成员" in html
    assert member.phone in html


def test_members_see_the_list_with_masked_phones(client, org, member, org_admin):
    client.force_login(member)
    response = client.get(reverse("orgs:members", args=[org.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "组织管理员" in html
    assert org_admin.phone not in html
    assert org_admin.masked_phone in html


def test_a_member_without_display_name_is_named_by_masked_phone(client, org_admin, org):
    quiet = make_user()
    Membership.objects.create(organisation=org, user=quiet, role="member", status="active")
    client.force_login(quiet)
    html = client.get(reverse("orgs:members", args=[org.pk])).content.decode()
    assert quiet.masked_phone in html
    assert quiet.phone not in html


@pytest.mark.parametrize("who", ["outsider", "other_district_admin"])
def test_the_members_page_refuses_outsiders(client, request, who, org):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("orgs:members", args=[org.pk])).status_code == 403


def test_the_members_page_sends_a_visitor_to_log_in(client, org):
    assert client.get(reverse("orgs:members", args=[org.pk])).status_code == 302


def test_a_member_cannot_invite_through_the_page(client, member, org, outsider):
    client.force_login(member)
    response = client.post(reverse("orgs:members", args=[org.pk]), {"phone": outsider.phone})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=outsider).exists()


def test_inviting_and_accepting_through_the_pages(client, org_admin, org, outsider):
    client.force_login(org_admin)
    response = client.post(
        reverse("orgs:members", args=[org.pk]), {"phone": outsider.phone, "role": "member"}
    )
    assert response.status_code == 302
    invitation = Membership.objects.get(user=outsider, status="invited")
    client.force_login(outsider)
    mine = client.get(reverse("orgs:mine")).content.decode()
    assert org.name in mine
    client.post(reverse("orgs:answer", args=[invitation.pk]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "active"


def test_inviting_an_unknown_number_shows_the_error(client, org_admin, org):
    client.force_login(org_admin)
    response = client.post(
        reverse("orgs:members", args=[org.pk]), {"phone": "13099999999", "role": "member"}
    )
    assert response.status_code == 200
    assert "注册" in response.content.decode()


def test_answering_someone_elses_invitation_is_refused(client, invitation, outsider):
    client.force_login(outsider)
    response = client.post(reverse("orgs:answer", args=[invitation.pk]), {"answer": "accept"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_joining_and_being_approved_through_the_pages(client, outsider, org_admin, org):
    client.force_login(outsider)
    detail = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert reverse("orgs:join", args=[org.pk]) in detail
    client.post(reverse("orgs:join", args=[org.pk]), {"message": "周末有空"})
    request = Membership.objects.get(user=outsider, status="requested")
    client.force_login(org_admin)
    assert "周末有空" in client.get(reverse("orgs:members", args=[org.pk])).content.decode()
    client.post(reverse("orgs:decide", args=[request.pk]), {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == "active"


@pytest.mark.parametrize("view", ["decide", "change_role", "remove"])
def test_member_actions_refuse_outsiders(client, view, outsider, member, org):
    membership = Membership.objects.get(user=member)
    client.force_login(outsider)
    data = {"decision": "approve", "role": "admin"}
    assert client.post(reverse(f"orgs:{view}", args=[membership.pk]), data).status_code == 403
    membership.refresh_from_db()
    assert (membership.status, membership.role) == ("active", "member")


@pytest.mark.parametrize("view", ["decide", "change_role", "remove", "answer"])
def test_member_actions_answer_404_for_unknown_ids(client, view, org_admin):
    client.force_login(org_admin)
    assert client.post(reverse(f"orgs:{view}", args=[999999]), {}).status_code == 404


def test_the_last_admin_leaving_gets_a_clear_message(client, org_admin, org):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:leave", args=[org.pk]), follow=True)
    assert "至少" in response.content.decode()
    assert Membership.objects.get(user=org_admin).status == "active"


def test_the_mine_page_needs_a_login(client, db):
    assert client.get(reverse("orgs:mine")).status_code == 302
