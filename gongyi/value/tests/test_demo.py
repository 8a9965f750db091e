"""The demo wage tables: both cities, 2024–2026, a rate per clearly matched main category."""

import pytest
from django.core.management import call_command

from gongyi.regions.models import Region
from gongyi.value.demo import RATES, build_demo_wages
from gongyi.value.models import WageRate, WageTable

pytestmark = pytest.mark.django_db


def test_demo_tables_are_built_and_idempotent(city, capsys):
    call_command("load_categories", verbosity=0)
    Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)
    assert build_demo_wages() == 6
    assert build_demo_wages() == 6  # twice: the same rows
    assert WageTable.objects.count() == 6
    assert WageRate.objects.count() == 6 * len(RATES)
    shanghai = WageTable.objects.get(city__code="31", year=2025)
    chengdu = WageTable.objects.get(city__code="5101", year=2025)
    assert shanghai.default_wage > chengdu.default_wage
    nurse = chengdu.rates.get(category__code="health")
    assert (nurse.occupation, str(nurse.hourly_wage)) == ("护士", "45.00")
    assert "成都市人力资源和社会保障局 2025年" in chengdu.source
    assert all(r.hourly_wage > 0 for r in WageRate.objects.all())
