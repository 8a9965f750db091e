"""The demo: everyone recomputed, the named volunteer and the leaders opted in to the card."""

from datetime import date

import pytest

from gongyi.accounts.models import User
from gongyi.growth.demo import build_demo_growth
from gongyi.growth.models import CardSettings, GrowthSummary
from gongyi.growth.tests.conftest import append
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db


def test_build_demo_growth(projects):
    user = User.objects.create_user("13900000007", "x", display_name="袁志愿")
    named = make_volunteer(user, real_name="袁志愿")
    others = [make_volunteer(real_name=f"志愿者{i}") for i in range(4)]
    for i, person in enumerate(others):
        append(person, projects[i], minutes=60 * (i + 1), day=date(2026, 1, 1))
    GrowthSummary.objects.all().delete()
    assert build_demo_growth(public_cards=2) == 4
    assert GrowthSummary.objects.count() == 4
    public = set(CardSettings.objects.filter(is_public=True).values_list("volunteer_id", flat=True))
    assert public == {named.pk, others[3].pk, others[2].pk}
    assert build_demo_growth(public_cards=2) == 4  # safe to run twice
    assert CardSettings.objects.filter(is_public=True).count() == 3
