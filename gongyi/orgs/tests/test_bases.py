"""Public-welfare bases (公益基地): an organisation applies, its district names or refuses,
and may revoke; everyone else is refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongyi.accounts.models import StaffRole
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.orgs import bases, selectors
from gongyi.orgs.models import BaseDesignation, Membership
from gongyi.regions.models import Region
from gongyi.testing.people import make_user


@pytest.fixture
def applied(org, org_admin):
    return bases.base_apply(actor=org_admin, org=org, statement="社区长者食堂，每周开放志愿岗位")


def test_the_admin_applies_and_the_district_names_the_base(applied, district_admin, org_admin):
    assert applied.status == "applied"
    named = bases.base_decide(actor=district_admin, designation=applied, name=True)
    assert named.status == "named" and named.named_on is not None
    assert list(selectors.named_base_ids().values_list("organisation_id", flat=True)) == [
        applied.organisation_id
    ]
    assert Notice.objects.filter(user=org_admin, kind="base").exists()
    assert AuditEntry.objects.filter(action="base.named").exists()


def test_a_refusal_needs_a_reason_and_changes_nothing_without_one(applied, district_admin):
    with pytest.raises(ServiceError):
        bases.base_decide(actor=district_admin, designation=applied, name=False, reason=" ")
    applied.refresh_from_db()
    assert applied.status == "applied"
    bases.base_decide(actor=district_admin, designation=applied, name=False, reason="材料不全")
    applied.refresh_from_db()
    assert applied.status == "refused" and applied.reason == "材料不全"


def test_one_live_application_at_a_time(applied, org, org_admin):
    with pytest.raises(ServiceError):
        bases.base_apply(actor=org_admin, org=org, statement="再次申请")
    assert BaseDesignation.objects.count() == 1


def test_revoking_ends_the_naming(applied, district_admin):
    bases.base_decide(actor=district_admin, designation=applied, name=True)
    bases.base_revoke(actor=district_admin, designation=applied, reason="不再开展服务")
    assert not selectors.named_base_ids().exists()


def test_outsiders_are_refused(applied, org, outsider, other_district_admin, volunteer):
    with pytest.raises(NotAllowed):
        bases.base_apply(actor=outsider, org=org, statement="冒名申请")
    for stranger in (outsider, other_district_admin, volunteer.user):
        with pytest.raises(NotAllowed):
            bases.base_decide(actor=stranger, designation=applied, name=True)
    applied.refresh_from_db()
    assert applied.status == "applied"


def test_pages(client, org, org_admin, district_admin, other_district_admin, outsider):
    client.force_login(org_admin)
    response = client.post(reverse("orgs:base_apply", args=[org.pk]), {"statement": ""})
    assert response.status_code == 200 and not BaseDesignation.objects.exists()
    client.post(reverse("orgs:base_apply", args=[org.pk]), {"statement": "长者食堂志愿岗位"})
    designation = BaseDesignation.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("orgs:base_queue")).status_code == 403
    client.force_login(other_district_admin)
    assert org.name not in client.get(reverse("orgs:base_queue")).content.decode()
    for stranger in (outsider, other_district_admin):
        client.force_login(stranger)
        url = reverse("orgs:base_decide", args=[designation.pk])
        assert client.post(url, {"decision": "name"}).status_code == 403
        assert client.get(reverse("orgs:base_apply", args=[org.pk])).status_code == 403
    client.force_login(district_admin)
    assert org.name in client.get(reverse("orgs:base_queue")).content.decode()
    client.post(reverse("orgs:base_decide", args=[designation.pk]), {"decision": "name"})
    designation.refresh_from_db()
    assert designation.status == "named"
    client.logout()
    page = client.get(reverse("orgs:bases")).content.decode()
    assert org.name in page
    assert "公益基地" in client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    client.force_login(district_admin)
    url = reverse("orgs:base_revoke", args=[designation.pk])
    client.post(url, {"reason": ""})
    designation.refresh_from_db()
    assert designation.status == "named"
    client.post(url, {"reason": "不再开展服务"})
    designation.refresh_from_db()
    assert designation.status == "revoked"


def test_a_city_admin_sees_only_their_own_citys_applications(applied, city_admin):
    assert list(selectors.base_queue(city_admin)) == [applied]
    chengdu = Region.objects.create(code="51", name="成都市", level=Region.Level.CITY)
    stranger = make_user(display_name="成都市管理员")
    StaffRole.objects.create(user=stranger, role=StaffRole.Role.CITY_ADMIN, region=chengdu)
    assert not selectors.base_queue(stranger).exists()


@pytest.mark.parametrize("code", ["\x00", "310101\x00", "1" * 40])
def test_a_malformed_district_code_lists_every_base(client, applied, district_admin, code):
    bases.base_decide(actor=district_admin, designation=applied, name=True)
    page = client.get(reverse("orgs:bases"), {"district": code})
    assert page.status_code == 200 and applied.organisation.name in page.content.decode()


def test_the_base_list_filters_by_district_only(client, applied, district_admin, city):
    bases.base_decide(actor=district_admin, designation=applied, name=True)
    name = applied.organisation.name
    by_district = client.get(
        reverse("orgs:bases"), {"district": applied.organisation.district.code}
    )
    assert name in by_district.content.decode()
    assert name in client.get(reverse("orgs:bases"), {"district": city.code}).content.decode()


def _named_again(designation, actor, district_admin) -> tuple[BaseDesignation, int]:
    """Revoke the naming, apply again and name it: (the new designation, the naming's queries)."""
    bases.base_revoke(actor=district_admin, designation=designation, reason="不再开展服务")
    again = bases.base_apply(actor=actor, org=designation.organisation, statement="重新申请")
    with CaptureQueriesContext(connection) as queries:
        bases.base_decide(actor=district_admin, designation=again, name=True)
    return again, len(queries)


def test_every_admin_is_told_in_the_same_queries_however_many(
    applied, org, org_admin, member, district_admin
):
    bases.base_decide(actor=district_admin, designation=applied, name=True)
    again, one_admin = _named_again(applied, org_admin, district_admin)
    more = [make_user(display_name=f"管理员{n}") for n in range(3)]
    for user in more:
        Membership.objects.create(organisation=org, user=user, role="admin", status="active")
    _, four_admins = _named_again(again, org_admin, district_admin)
    assert four_admins == one_admin
    told = Notice.objects.filter(kind="base")
    assert told.filter(user=org_admin).count() == 5  # named, revoked, named, revoked, named
    assert all(told.filter(user=user).count() == 2 for user in more)  # revoked, named
    assert not told.filter(user=member).exists()
