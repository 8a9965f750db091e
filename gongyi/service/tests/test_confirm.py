"""The leader confirms a shift's hours: one record per attendance, capped, idempotent, told."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongyi.attendance.models import Attendance
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.service import selectors, services
from gongyi.service.ledger import GENESIS
from gongyi.service.models import HoursExclusion, ServiceRecord
from gongyi.service.tests.conftest import attend, past_shift, place
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db


def test_confirm_makes_one_record_per_attendance(shift, attendance, leader, volunteer):
    result = services.confirm_shift_hours(actor=leader, shift=shift)
    (record,) = result.created
    assert record.minutes == 150 and record.hours == "2.5"
    assert record.source == "attendance" and record.attendance_id == attendance.pk
    assert record.recorded_by == leader and record.leader_name == "李领队"
    assert record.activity == shift.project.title
    assert record.served_on == timezone.localdate(shift.starts_at)
    assert record.place == "人民广场服务点（人民大道200号）"
    assert record.organisation_id == shift.project.organisation_id
    assert (record.started_at, record.ended_at) == (
        attendance.checked_in_at,
        attendance.checked_out_at,
    )
    assert selectors.total_minutes(volunteer) == 150
    assert AuditEntry.objects.filter(action="record.created", target_id=str(record.pk)).exists()


def test_confirming_twice_changes_nothing(shift, attendance, leader):
    services.confirm_shift_hours(actor=leader, shift=shift)
    again = services.confirm_shift_hours(actor=leader, shift=shift)
    assert again.created == [] and ServiceRecord.objects.count() == 1


def test_the_database_refuses_a_second_record_of_one_attendance(record):
    duplicate = ServiceRecord(
        **{f: getattr(record, f) for f in ("volunteer_id", "project_id", "organisation_id")},
        seq=2,
        attendance_id=record.attendance_id,
        signup_id=None,
        activity="x",
        served_on=record.served_on,
        place="x",
        content="x",
        minutes=1,
        leader_name="x",
        source="attendance",
        created_at=timezone.now(),
        prev_hash=record.hash,
        hash=GENESIS,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_volunteer_is_told_who_made_the_record_and_from_what(record, volunteer):
    notice = Notice.objects.get(user=volunteer.user, kind="record.attendance")
    assert "2.5" in notice.title
    assert "李领队" in notice.body and "签到" in notice.body
    assert notice.url == f"/hours/record/{record.pk}/"


def test_leave_out_with_a_reason(shift, attendance, leader, volunteer):
    other = make_volunteer(real_name="周路人")
    attend(place(other, shift))
    result = services.confirm_shift_hours(
        actor=leader, shift=shift, exclude={attendance.pk: "提前离开未完成服务"}
    )
    assert len(result.created) == 1 and result.created[0].volunteer == other
    exclusion = HoursExclusion.objects.get()
    assert exclusion.attendance == attendance and exclusion.reason == "提前离开未完成服务"
    assert Notice.objects.filter(user=volunteer.user, kind="hours.excluded").exists()
    assert selectors.total_minutes(volunteer) == 0


def test_leaving_out_needs_a_reason_and_changes_nothing_without(shift, attendance, leader):
    with pytest.raises(ServiceError) as refused:
        services.confirm_shift_hours(actor=leader, shift=shift, exclude={attendance.pk: "  "})
    assert refused.value.code == "reason_required"
    assert not ServiceRecord.objects.exists() and not HoursExclusion.objects.exists()


def test_unknown_attendance_to_leave_out_is_refused(shift, attendance, leader):
    with pytest.raises(ServiceError) as refused:
        services.confirm_shift_hours(actor=leader, shift=shift, exclude={999999: "x"})
    assert refused.value.code == "not_pending"
    assert not ServiceRecord.objects.exists()


def test_not_checked_out_is_passed_over(shift, signup, leader):
    attendance = attend(signup, out=False)
    result = services.confirm_shift_hours(actor=leader, shift=shift)
    assert result.created == [] and result.incomplete == [attendance.pk]
    rows = selectors.shift_review(shift=shift).rows
    assert [r.state for r in rows] == ["incomplete"]


def test_no_shows_and_absentees_get_nothing(shift, leader):
    absent, no_show = make_volunteer(), make_volunteer()
    place(absent, shift)
    Attendance.objects.create(signup=place(no_show, shift), no_show=True, reason="未到")
    assert services.confirm_shift_hours(actor=leader, shift=shift).created == []
    states = sorted(r.state for r in selectors.shift_review(shift=shift).rows)
    assert states == ["absent", "no_show"]


def test_cannot_confirm_before_the_shift_ends(project, volunteer, leader):
    start = timezone.now() - timedelta(hours=1)
    shift = past_shift(project, start=start)
    attend(place(volunteer, shift), out=False)
    with pytest.raises(ServiceError) as refused:
        services.confirm_shift_hours(actor=leader, shift=shift)
    assert refused.value.code == "not_ended"


def test_outsiders_and_other_organisations_cannot_confirm(
    shift, attendance, outsider, other_org_admin, volunteer
):
    for actor in (outsider, other_org_admin, volunteer.user):
        with pytest.raises(NotAllowed):
            services.confirm_shift_hours(actor=actor, shift=shift)
    assert not ServiceRecord.objects.exists()


def test_late_confirmation_needs_the_district_admin(
    shift, attendance, leader, org_admin, district_admin, other_district_admin
):
    late = shift.ends_at + timedelta(days=30)
    for actor in (leader, org_admin, other_district_admin):
        with pytest.raises(ServiceError) as refused:
            services.confirm_shift_hours(actor=actor, shift=shift, now=late)
        assert refused.value.code in ("late", "forbidden")
    assert not ServiceRecord.objects.exists()
    result = services.confirm_shift_hours(actor=district_admin, shift=shift, now=late)
    assert result.late and len(result.created) == 1
    assert result.created[0].recorded_by == district_admin
    entry = AuditEntry.objects.get(action="hours.confirmed")
    assert entry.data["late"] is True


# --- hours never above the shift's length (invariant 4) ----------------------------------------


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    shift_minutes=st.integers(min_value=15, max_value=12 * 60),
    in_offset=st.integers(min_value=-180, max_value=12 * 60),
    stayed_seconds=st.integers(min_value=0, max_value=20 * 3600),
)
def test_hours_never_exceed_the_shift_length(
    project, leader, volunteer, shift_minutes, in_offset, stayed_seconds
):
    with transaction.atomic():
        start = timezone.now().replace(microsecond=0) - timedelta(days=3)
        shift = past_shift(project, start=start, hours=shift_minutes / 60)
        checked_in = start + timedelta(minutes=in_offset)
        signup = place(volunteer, shift)
        Attendance.objects.create(
            signup=signup,
            checked_in_at=checked_in,
            checked_out_at=checked_in + timedelta(seconds=stayed_seconds),
            in_method="qr",
            out_method="qr",
        )
        (record,) = services.confirm_shift_hours(actor=leader, shift=shift).created
        assert 0 <= record.minutes <= shift.minutes
        assert record.minutes == min(stayed_seconds // 60, shift.minutes)
        transaction.set_rollback(True)
