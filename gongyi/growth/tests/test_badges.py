"""Badges are seeded, editable in the admin (their params checked), and re-derived on edit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongyi.growth.models import Badge, BadgeAward
from gongyi.growth.tests.conftest import append, committed
from gongyi.testing.people import make_user

pytestmark = pytest.mark.django_db


def test_the_seeded_badges_cover_the_issues_examples():
    kinds = dict(Badge.objects.values_list("code", "kind"))
    assert kinds["five_districts"] == "districts"  # served in five districts
    assert kinds["elderly_ten"] == "group_services"  # ten services for the elderly
    assert kinds["reliable_year"] == "reliable_year"  # a year without a no-show
    assert Badge.objects.get(code="hours_100").params == {"hours": 100}


def test_params_that_do_not_fit_the_rule_are_refused():
    badge = Badge.objects.get(code="five_districts")
    badge.params = {"count": 0}
    with pytest.raises(ValidationError) as refused:
        badge.full_clean()
    assert "params" in refused.value.message_dict
    badge.params = {"count": 3}
    badge.full_clean()  # completed and checked
    assert badge.params == {"count": 3}


def test_editing_a_badge_in_the_admin_re_derives_everyone(client, rules_ready, alice, projects):
    for project in projects[:3]:
        append(alice, project)
    assert not BadgeAward.objects.filter(volunteer=alice, badge__code="five_districts").exists()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    badge = Badge.objects.get(code="five_districts")
    url = reverse("admin:growth_badge_change", args=[badge.pk])
    assert client.get(url).status_code == 200
    data = {
        "code": badge.code,
        "name": badge.name,
        "name_en": badge.name_en,
        "description": badge.description,
        "description_en": badge.description_en,
        "kind": "districts",
        "params": '{"count": 3}',
        "is_active": "on",
        "sort_order": badge.sort_order,
    }
    with committed():
        assert client.post(url, data).status_code == 302
    assert BadgeAward.objects.filter(volunteer=alice, badge=badge, revoked_at=None).exists()
    bad = client.post(url, {**data, "params": '{"count": -1}'})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    badge.refresh_from_db()
    assert badge.params == {"count": 3}


def test_the_derived_rows_are_read_only_in_the_admin(client, rules_ready):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:growth_badgeaward_add")).status_code == 403
    assert client.get(reverse("admin:growth_growthsummary_add")).status_code == 403
