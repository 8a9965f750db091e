"""Two (or twenty) check-ins of the same signup at the same moment give one Attendance.

Real threads with their own connections, on PostgreSQL (row locks). A control shows the
race is real: without the signup's row lock, several requests each believe they checked in.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongyi.attendance.models import Attendance
from gongyi.attendance.services import AttendanceConflict, check_in_by_leader, qr_token, scan
from gongyi.attendance.tests.conftest import confirm
from gongyi.core.models import AuditEntry
from gongyi.orgs.models import Membership
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_user, make_volunteer
from gongyi.testing.threads import run_at_once

on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: row locks and many concurrent connections "
    "(run with DATABASE_URL=postgresql://…)",
)


def a_running_shift(org):
    start = timezone.now() - timedelta(minutes=10)
    return make_shift(make_project(org), capacity=None, start=start, hours=2)


def outcome(call):
    """'ok', or the refusal's code: every thread answers, none fails."""

    def run():
        try:
            call()
            return "ok"
        except AttendanceConflict as conflict:
            return conflict.code

    return run


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_20_simultaneous_scans_of_one_signup_give_one_attendance(org):
    shift = a_running_shift(org)
    volunteer = make_volunteer()
    signup = confirm(volunteer, shift)
    token = qr_token(shift=shift, direction="in")
    results = run_at_once([outcome(lambda: scan(user=volunteer.user, token=token))] * 20, 20)
    assert results.count("ok") == 1
    assert results.count("already_checked_in") == 19
    assert Attendance.objects.filter(signup=signup).count() == 1
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_scan_and_a_leader_entry_at_once_give_one_check_in(org):
    shift = a_running_shift(org)
    leader = make_user()
    Membership.objects.create(organisation=org, user=leader, role="leader", status="active")
    volunteer = make_volunteer()
    signup = confirm(volunteer, shift)
    token = qr_token(shift=shift, direction="in")
    calls = [outcome(lambda: scan(user=volunteer.user, token=token))] * 10 + [
        outcome(lambda: check_in_by_leader(actor=leader, signup=signup, reason="r"))
    ] * 10
    results = run_at_once(calls, 20)
    assert results.count("ok") == 1
    assert Attendance.objects.filter(signup=signup).count() == 1
    assert AuditEntry.objects.filter(action__startswith="attendance.checked_in").count() == 1


def naive_check_in(signup) -> str:
    """NEVER do this: read, then write, without the signup's lock (the control)."""
    with transaction.atomic():
        attendance = Attendance.objects.filter(signup=signup).first()
        if attendance is not None and attendance.checked_in_at:
            return "already_checked_in"
        time.sleep(0.02)  # the gap any real request has between its read and its write
        try:
            with transaction.atomic():
                attendance, _ = Attendance.objects.get_or_create(signup=signup)
        except IntegrityError:
            attendance = Attendance.objects.get(signup=signup)
        attendance.checked_in_at = timezone.now()
        attendance.save()
        return "ok"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_several_requests_believe_they_checked_in(org):
    shift = a_running_shift(org)
    signup = confirm(make_volunteer(), shift)
    results = run_at_once([lambda: naive_check_in(signup)] * 20, 20)
    assert results.count("ok") > 1, "the control should race; if not, the test proves nothing"
    assert Attendance.objects.filter(signup=signup).count() == 1  # the OneToOne still holds
