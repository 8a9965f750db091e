"""Check-in and check-out: windows, the geofence, idempotence, the leader's entries."""

from datetime import timedelta

import pytest
from django.utils import translation

from gongyi.attendance import selectors, services
from gongyi.attendance.models import Attendance, AttendancePolicy
from gongyi.attendance.services import (
    AttendanceConflict,
    AttendanceRefused,
    check_in_by_leader,
    check_out_by_leader,
    haversine_m,
    mark_no_show,
    qr_token,
    scan,
    set_policy,
)
from gongyi.attendance.tests.conftest import POINT_LAT, POINT_LON, confirm
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.signups.models import Signup
from gongyi.testing.people import make_user

pytestmark = pytest.mark.django_db

# About 300 m north and 1.1 km north of the point (1° of latitude ≈ 111.2 km).
NEAR = (POINT_LAT + 0.0027, POINT_LON)
FAR = (POINT_LAT + 0.01, POINT_LON)


def check_in(volunteer, shift, now, **location):
    return scan(
        user=volunteer.user,
        token=qr_token(shift=shift, direction="in", now=now),
        now=now,
        **location,
    )


def check_out(volunteer, shift, now, **location):
    return scan(
        user=volunteer.user,
        token=qr_token(shift=shift, direction="out", now=now),
        now=now,
        **location,
    )


def require_geofence(project, radius=500):
    return AttendancePolicy.objects.create(project=project, geofence_required=True, radius_m=radius)


# --- check-in and check-out ------------------------------------------------------------------


def test_check_in_then_out_records_times_and_minutes(signup, shift, volunteer, t0):
    attendance = check_in(volunteer, shift, t0 + timedelta(minutes=2))
    assert attendance.checked_in_at == t0 + timedelta(minutes=2)
    assert attendance.in_method == Attendance.Method.QR
    assert attendance.state == "in"
    assert selectors.served_minutes(attendance) is None
    attendance = check_out(volunteer, shift, t0 + timedelta(minutes=92, seconds=59))
    assert attendance.state == "out"
    assert attendance.out_method == Attendance.Method.QR
    assert selectors.served_minutes(attendance) == 90  # whole minutes
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"attendance.checked_in", "attendance.checked_out"} <= actions


def test_served_minutes_never_exceed_the_shift(signup, shift, volunteer, t0):
    check_in(volunteer, shift, t0 - timedelta(minutes=55))
    attendance = check_out(volunteer, shift, shift.ends_at + timedelta(hours=5))
    assert selectors.served_minutes(attendance) == shift.minutes == 180


def test_checking_in_twice_changes_nothing_and_says_why(signup, shift, volunteer, t0):
    first = check_in(volunteer, shift, t0)
    with translation.override("zh-hans"), pytest.raises(AttendanceConflict) as conflict:
        check_in(volunteer, shift, t0 + timedelta(minutes=5))
    assert conflict.value.code == "already_checked_in"
    assert conflict.value.status == 409
    assert "签到" in str(conflict.value.message)
    assert "未做任何更改" in str(conflict.value.message)
    again = Attendance.objects.get()
    assert again.checked_in_at == first.checked_in_at
    assert again.updated_at == first.updated_at


def test_check_out_without_check_in_changes_nothing(signup, shift, volunteer, t0):
    with pytest.raises(AttendanceConflict) as conflict:
        check_out(volunteer, shift, t0)
    assert conflict.value.code == "not_checked_in"
    assert not Attendance.objects.exists()


def test_checking_out_twice_changes_nothing(signup, shift, volunteer, t0):
    check_in(volunteer, shift, t0)
    first = check_out(volunteer, shift, t0 + timedelta(hours=1))
    with pytest.raises(AttendanceConflict) as conflict:
        check_out(volunteer, shift, t0 + timedelta(hours=2))
    assert conflict.value.code == "already_checked_out"
    assert Attendance.objects.get().checked_out_at == first.checked_out_at


def test_check_in_opens_an_hour_before_and_closes_at_the_end(signup, shift, volunteer, t0):
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0 - timedelta(minutes=61))
    assert refused.value.code == "too_early"
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, shift.ends_at)
    assert refused.value.code == "check_in_closed"
    assert check_in(volunteer, shift, t0 - timedelta(minutes=60)).state == "in"


def test_check_out_closes_six_hours_after_the_end(signup, shift, volunteer, t0):
    check_in(volunteer, shift, t0)
    with pytest.raises(AttendanceRefused) as refused:
        check_out(volunteer, shift, shift.ends_at + timedelta(hours=6, seconds=1))
    assert refused.value.code == "check_out_closed"
    assert check_out(volunteer, shift, shift.ends_at + timedelta(hours=6)).state == "out"


@pytest.mark.parametrize("status", ["pending", "waitlisted", "cancelled", "rejected"])
def test_only_confirmed_signups_check_in(shift, volunteer, t0, status):
    Signup.objects.create(volunteer=volunteer, shift=shift, status=status)
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0)
    assert refused.value.code == "not_confirmed"
    assert not Attendance.objects.exists()


def test_a_volunteer_not_signed_up_is_refused(shift, other_volunteer, t0, signup):
    with pytest.raises(AttendanceRefused) as refused:
        check_in(other_volunteer, shift, t0)
    assert refused.value.code == "not_signed_up"
    assert not Attendance.objects.exists()


def test_an_account_without_volunteer_profile_is_refused(shift, outsider, t0):
    with pytest.raises(ServiceError) as refused:
        scan(user=outsider, token=qr_token(shift=shift, direction="in", now=t0), now=t0)
    assert refused.value.code == "not_volunteer"


def test_scan_acts_on_the_scanners_own_signup_only(shift, volunteer, other_volunteer, t0):
    mine = confirm(volunteer, shift)
    theirs = confirm(other_volunteer, shift)
    check_in(volunteer, shift, t0)
    assert Attendance.objects.get().signup == mine
    assert not Attendance.objects.filter(signup=theirs).exists()


def test_a_cancelled_then_new_confirmed_signup_is_the_one_checked_in(shift, volunteer, t0):
    Signup.objects.create(volunteer=volunteer, shift=shift, status="cancelled")
    live = confirm(volunteer, shift)
    assert check_in(volunteer, shift, t0).signup == live


# --- the geofence ------------------------------------------------------------------------------


def test_haversine_matches_a_known_distance():
    # One degree of latitude is about 111.2 km everywhere.
    assert abs(haversine_m(31.0, 121.0, 32.0, 121.0) - 111_195) < 10
    assert haversine_m(POINT_LAT, POINT_LON, POINT_LAT, POINT_LON) == 0


def test_geofence_inside_is_accepted_and_the_distance_stored(signup, shift, volunteer, t0):
    require_geofence(shift.project)
    attendance = check_in(volunteer, shift, t0, latitude=NEAR[0], longitude=NEAR[1])
    assert 290 <= attendance.in_distance_m <= 310
    assert attendance.in_latitude == NEAR[0]
    attendance = check_out(
        volunteer, shift, t0 + timedelta(hours=1), latitude=POINT_LAT, longitude=POINT_LON
    )
    assert attendance.out_distance_m == 0


def test_geofence_outside_is_refused_and_says_how_far(signup, shift, volunteer, t0):
    require_geofence(shift.project)
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0, latitude=FAR[0], longitude=FAR[1])
    assert refused.value.code == "too_far"
    assert "1112" in str(refused.value.message) and "500" in str(refused.value.message)
    assert not Attendance.objects.exists()


def test_geofence_without_a_location_says_why(signup, shift, volunteer, t0):
    require_geofence(shift.project)
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0)
    assert refused.value.code == "location_required"
    assert not Attendance.objects.exists()


def test_geofence_also_guards_check_out(signup, shift, volunteer, t0):
    require_geofence(shift.project)
    check_in(volunteer, shift, t0, latitude=NEAR[0], longitude=NEAR[1])
    with pytest.raises(AttendanceRefused) as refused:
        check_out(volunteer, shift, t0 + timedelta(hours=1), latitude=FAR[0], longitude=FAR[1])
    assert refused.value.code == "too_far"
    assert Attendance.objects.get().checked_out_at is None


def test_the_stricter_of_project_and_point_radius_applies(signup, shift, volunteer, t0):
    require_geofence(shift.project, radius=2000)
    shift.point.geofence_metres = 200
    shift.point.save()
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0, latitude=NEAR[0], longitude=NEAR[1])
    assert refused.value.code == "too_far"
    shift.point.geofence_metres = 5000
    shift.point.save()
    assert check_in(volunteer, shift, t0, latitude=FAR[0], longitude=FAR[1]).state == "in"


def test_geofence_with_a_point_not_on_the_map_says_so(signup, shift, volunteer, t0):
    require_geofence(shift.project)
    shift.point.latitude = shift.point.longitude = None
    shift.point.save()
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0, latitude=NEAR[0], longitude=NEAR[1])
    assert refused.value.code == "point_without_location"


def test_without_geofence_a_location_is_optional_but_kept(signup, shift, volunteer, t0):
    attendance = check_in(volunteer, shift, t0, latitude=FAR[0], longitude=FAR[1])
    assert attendance.in_distance_m > 1000  # stored, not enforced


@pytest.mark.parametrize(
    "lat, lon",
    [(91, 0), (0, 181), (float("nan"), 0), (0, float("inf")), (31.2, None), (None, 121.4)],
)
def test_a_bad_location_is_refused(signup, shift, volunteer, t0, lat, lon):
    with pytest.raises(AttendanceRefused) as refused:
        check_in(volunteer, shift, t0, latitude=lat, longitude=lon)
    assert refused.value.code == "bad_location"
    assert not Attendance.objects.exists()


# --- leaders ------------------------------------------------------------------------------------


def test_leader_checks_in_and_out_with_reasons_logged_and_volunteer_told(
    signup, shift, leader, volunteer, t0
):
    now = t0 + timedelta(hours=4)
    attendance = check_in_by_leader(
        actor=leader, signup=signup, reason="手机没电", at=t0 + timedelta(minutes=5), now=now
    )
    assert attendance.in_method == Attendance.Method.LEADER
    assert attendance.in_by == leader
    assert attendance.reason == "手机没电"
    attendance = check_out_by_leader(
        actor=leader, signup=signup, reason="忘记签退", at=t0 + timedelta(minutes=125), now=now
    )
    assert attendance.out_by == leader
    assert selectors.served_minutes(attendance) == 120
    entries = AuditEntry.objects.filter(action__startswith="attendance.").order_by("id")
    assert [(e.action, e.data["reason"]) for e in entries] == [
        ("attendance.checked_in_by_leader", "手机没电"),
        ("attendance.checked_out_by_leader", "忘记签退"),
    ]
    assert all(e.actor == leader for e in entries)
    notices = Notice.objects.filter(user=volunteer.user).order_by("id")
    assert [n.kind for n in notices] == [
        "attendance.checked_in_by_leader",
        "attendance.checked_out_by_leader",
    ]
    assert "手机没电" in notices[0].body


def test_leader_entry_needs_a_reason(signup, leader, t0):
    for reason in ("", "   "):
        with pytest.raises(AttendanceRefused) as refused:
            check_in_by_leader(actor=leader, signup=signup, reason=reason, now=t0)
        assert refused.value.code == "reason_required"
    with pytest.raises(AttendanceRefused):
        check_in_by_leader(actor=leader, signup=signup, reason="x" * 301, now=t0)
    assert not Attendance.objects.exists()


def test_leader_entry_time_cannot_be_in_the_future_or_outside_the_shift(signup, shift, leader, t0):
    with pytest.raises(AttendanceRefused) as refused:
        check_in_by_leader(
            actor=leader, signup=signup, reason="r", at=t0 + timedelta(minutes=1), now=t0
        )
    assert refused.value.code == "future_time"
    late = shift.ends_at + timedelta(hours=1)
    with pytest.raises(AttendanceRefused) as refused:
        check_in_by_leader(actor=leader, signup=signup, reason="r", now=late)
    assert refused.value.code == "bad_time"  # after the end: enter the arrival time
    check_in_by_leader(actor=leader, signup=signup, reason="r", at=t0, now=late)
    with pytest.raises(AttendanceRefused) as refused:
        check_out_by_leader(
            actor=leader, signup=signup, reason="r", at=t0 - timedelta(minutes=1), now=late
        )
    assert refused.value.code == "bad_time"  # before the check-in
    assert Attendance.objects.get().checked_out_at is None


def test_leader_check_in_accepts_a_naive_time_as_local(signup, shift, leader, t0):
    from django.utils import timezone

    naive = timezone.make_naive(t0 + timedelta(minutes=3))
    attendance = check_in_by_leader(
        actor=leader, signup=signup, reason="r", at=naive, now=t0 + timedelta(hours=1)
    )
    assert attendance.checked_in_at == t0 + timedelta(minutes=3)


def test_leader_cannot_check_in_twice_or_out_without_in(signup, leader, volunteer, shift, t0):
    with pytest.raises(AttendanceConflict) as conflict:
        check_out_by_leader(actor=leader, signup=signup, reason="r", now=t0)
    assert conflict.value.code == "not_checked_in"
    check_in(volunteer, shift, t0)
    with pytest.raises(AttendanceConflict) as conflict:
        check_in_by_leader(actor=leader, signup=signup, reason="r", now=t0)
    assert conflict.value.code == "already_checked_in"
    assert Attendance.objects.get().in_method == Attendance.Method.QR


def test_no_show_with_reason_then_a_late_arrival_clears_it(signup, leader, volunteer, shift, t0):
    with pytest.raises(AttendanceRefused) as refused:
        mark_no_show(actor=leader, signup=signup, reason="未到", now=t0 - timedelta(minutes=1))
    assert refused.value.code == "not_started"
    attendance = mark_no_show(actor=leader, signup=signup, reason="未到", now=t0)
    assert attendance.no_show and attendance.state == "no_show"
    assert selectors.served_minutes(attendance) is None
    with pytest.raises(AttendanceConflict) as conflict:
        mark_no_show(actor=leader, signup=signup, reason="again", now=t0)
    assert conflict.value.code == "already_no_show"
    attendance = check_in_by_leader(actor=leader, signup=signup, reason="迟到", now=t0)
    assert not attendance.no_show and attendance.state == "in"
    audit = AuditEntry.objects.get(action="attendance.no_show")
    assert audit.data["reason"] == "未到" and audit.actor == leader
    assert Notice.objects.filter(user=volunteer.user, kind="attendance.no_show").exists()


def test_no_show_after_check_in_is_refused(signup, leader, volunteer, shift, t0):
    check_in(volunteer, shift, t0)
    with pytest.raises(AttendanceConflict) as conflict:
        mark_no_show(actor=leader, signup=signup, reason="r", now=t0)
    assert conflict.value.code == "already_checked_in"
    assert not Attendance.objects.get().no_show


def test_a_no_show_who_arrives_after_all_can_still_scan_in(signup, leader, volunteer, shift, t0):
    mark_no_show(actor=leader, signup=signup, reason="未到", now=t0)
    attendance = check_in(volunteer, shift, t0 + timedelta(minutes=10))
    assert attendance.state == "in" and not attendance.no_show  # they came after all
    assert AuditEntry.objects.filter(action="attendance.checked_in").exists()


@pytest.mark.parametrize("who", ["outsider", "volunteer", "other_org_admin"])
def test_people_who_do_not_lead_the_project_are_refused(request, signup, t0, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    for action in (check_in_by_leader, check_out_by_leader, mark_no_show):
        with pytest.raises(NotAllowed):
            action(actor=user, signup=signup, reason="r", now=t0)
    assert not Attendance.objects.exists()


def test_org_admin_may_run_attendance_too(signup, org_admin, t0):
    assert check_in_by_leader(actor=org_admin, signup=signup, reason="r", now=t0).state == "in"


def test_an_inactive_leader_is_refused(signup, org, t0):
    from gongyi.orgs.models import Membership

    user = make_user()
    Membership.objects.create(organisation=org, user=user, role="leader", status="removed")
    with pytest.raises(NotAllowed):
        check_in_by_leader(actor=user, signup=signup, reason="r", now=t0)


# --- the policy ---------------------------------------------------------------------------------


def test_managers_set_the_policy_and_it_is_audited(project, org_admin):
    policy = set_policy(actor=org_admin, project=project, geofence_required=True, radius_m=300)
    assert (policy.geofence_required, policy.radius_m) == (True, 300)
    policy = set_policy(actor=org_admin, project=project, geofence_required=False, radius_m=800)
    assert AttendancePolicy.objects.get().radius_m == 800
    assert AuditEntry.objects.filter(action="attendance.policy_set").count() == 2


def test_leaders_and_outsiders_cannot_set_the_policy(project, leader, outsider):
    for user in (leader, outsider):
        with pytest.raises(NotAllowed):
            set_policy(actor=user, project=project, geofence_required=True, radius_m=300)
    assert not AttendancePolicy.objects.exists()


@pytest.mark.parametrize("radius", [0, 9, 10_001])
def test_a_silly_radius_is_refused(project, org_admin, radius):
    with pytest.raises(AttendanceRefused):
        set_policy(actor=org_admin, project=project, geofence_required=True, radius_m=radius)


def test_default_policy_is_no_geofence_500_m(project):
    policy = services.policy_for(project)
    assert (policy.geofence_required, policy.radius_m, policy.pk) == (False, 500, None)


# --- selectors for others ------------------------------------------------------------------------


def test_served_minutes_is_none_unless_both_times(signup, shift, volunteer, t0):
    attendance = Attendance(signup=signup)
    assert selectors.served_minutes(attendance) is None
    attendance.checked_in_at = t0
    assert selectors.served_minutes(attendance) is None
    attendance.checked_out_at = t0 + timedelta(seconds=59)
    assert selectors.served_minutes(attendance) == 0


def test_shift_counts(shift, signup, other_volunteer, leader, volunteer, t0):
    other = confirm(other_volunteer, shift)
    check_in(volunteer, shift, t0)
    mark_no_show(actor=leader, signup=other, reason="未到", now=t0)
    counts = selectors.shift_counts(shift=shift)
    assert (counts.confirmed, counts.checked_in, counts.checked_out, counts.no_shows) == (
        2,
        1,
        0,
        1,
    )
    assert counts.not_yet == 0


def test_attendance_changed_signal_is_sent_after_commit(
    signup, shift, volunteer, t0, django_capture_on_commit_callbacks
):
    from gongyi.attendance.signals import attendance_changed

    seen = []

    def listener(sender, attendance, action, **kwargs):
        seen.append((attendance.pk, action))

    attendance_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            attendance = check_in(volunteer, shift, t0)
    finally:
        attendance_changed.disconnect(listener)
    assert seen == [(attendance.pk, "checked_in")]
