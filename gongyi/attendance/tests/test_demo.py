"""The demo attendance follows the rules the services enforce, and is safe to run twice."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongyi.attendance.demo import build_demo_attendance
from gongyi.attendance.models import Attendance
from gongyi.attendance.selectors import served_minutes
from gongyi.attendance.services import (
    CHECK_IN_OPENS_BEFORE,
    CHECK_OUT_CLOSES_AFTER,
    policy_for,
    radius_for,
)
from gongyi.signups.models import Signup

pytestmark = pytest.mark.django_db


def test_demo_attendance_is_true_to_the_rules_and_safe_twice():
    call_command("demo", volunteers=60, projects=40, stdout=io.StringIO())  # calls it once
    now = timezone.now()
    past = Signup.objects.filter(status="confirmed", shift__ends_at__lte=now)
    assert Attendance.objects.count() == past.count() > 0
    assert build_demo_attendance(now) == 0
    rows = Attendance.objects.select_related("signup__shift__point", "signup__shift__project")
    kinds = {"qr": 0, "leader": 0, "no_show": 0}
    for row in rows:
        shift = row.signup.shift
        if row.no_show:
            kinds["no_show"] += 1
            assert row.checked_in_at is None and row.reason
            continue
        kinds[row.in_method] += 1
        assert shift.starts_at - CHECK_IN_OPENS_BEFORE <= row.checked_in_at < shift.ends_at
        assert row.checked_in_at < row.checked_out_at <= shift.ends_at + CHECK_OUT_CLOSES_AFTER
        assert 0 < served_minutes(row) <= shift.minutes
        if row.in_method == "leader":
            assert row.in_by_id and row.reason
        elif row.in_distance_m is not None:
            assert row.in_distance_m <= radius_for(policy_for(shift.project), shift.point)
    assert kinds["qr"] > kinds["no_show"] > 0
