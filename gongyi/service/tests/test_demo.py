"""The demo confirms attended past shifts through the service, leaving recent ones waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongyi.service import ledger, selectors
from gongyi.service.demo import FORGOTTEN_ONE_IN, build_demo_records
from gongyi.service.models import ServiceRecord
from gongyi.service.tests.conftest import attend, past_shift, place
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db


def test_demo_confirms_past_shifts_and_leaves_recent_ones(project, leader):
    old = [past_shift(project, ended_days_ago=d) for d in (5, 6, 7)]
    recent = past_shift(project, ended_days_ago=1)
    for shift in [*old, recent]:
        for _ in range(2):
            attend(place(make_volunteer(), shift))
    made = build_demo_records(timezone.now())
    expected = {s.pk for s in old if s.pk % FORGOTTEN_ONE_IN}
    assert {r.shift_id for r in ServiceRecord.objects.all()} == expected
    assert made == 2 * len(expected)
    assert all(r.recorded_by == leader for r in ServiceRecord.objects.all())
    assert list(ledger.verify()) == []
    assert build_demo_records(timezone.now()) == 0  # safe to run twice
    rows = selectors.awaiting_shifts(user=leader, now=timezone.now() + timedelta(minutes=1))
    assert recent.pk in {r.shift.pk for r in rows}
