"""Corrections are new entries pointing back; the volunteer may reject a record (被志愿)."""

import pytest

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.service import selectors, services
from gongyi.service.models import ServiceRecord
from gongyi.service.signals import record_corrected

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener(sender, record, correction, **kwargs):
        calls.append((sender, record.pk, correction.pk))

    record_corrected.connect(listener)
    yield calls
    record_corrected.disconnect(listener)


def test_a_correction_of_a_correction(record, leader, org_admin, volunteer):
    first = services.record_correct(actor=leader, record=record, minutes=120, reason="提前离开")
    second = services.record_correct(
        actor=org_admin, record=first, minutes=135, reason="核对签到表"
    )
    assert (first.corrects, second.corrects) == (record, first)
    assert (first.source, second.source) == ("correction", "correction")
    assert (first.recorded_by, second.recorded_by) == (leader, org_admin)
    assert [r.seq for r in (record, first, second)] == [1, 2, 3]
    assert second.prev_hash == first.hash and first.prev_hash == record.hash
    # The old entries stay, unchanged; only the latest counts.
    assert ServiceRecord.objects.get(pk=record.pk).minutes == 150
    assert list(selectors.effective_records(volunteer)) == [second]
    assert selectors.total_minutes(volunteer) == 135
    assert [r.pk for r in selectors.chain_of(record)] == [record.pk, first.pk, second.pk]
    assert selectors.head_of(record) == second
    assert AuditEntry.objects.filter(action="record.corrected").count() == 2


def test_only_the_latest_entry_can_be_corrected(record, leader):
    services.record_correct(actor=leader, record=record, minutes=120, reason="提前离开")
    with pytest.raises(ServiceError) as refused:
        services.record_correct(actor=leader, record=record, minutes=60, reason="再改")
    assert refused.value.code == "already_corrected"
    assert ServiceRecord.objects.count() == 2


def test_corrections_never_exceed_the_shift_and_need_a_reason(record, leader):
    with pytest.raises(ServiceError) as above:
        services.record_correct(actor=leader, record=record, minutes=181, reason="x")
    assert above.value.code == "above_shift_length"
    with pytest.raises(ServiceError) as no_reason:
        services.record_correct(actor=leader, record=record, minutes=100, reason=" ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ServiceError) as same:
        services.record_correct(actor=leader, record=record, minutes=150, reason="x")
    assert same.value.code == "no_change"
    assert ServiceRecord.objects.count() == 1


def test_the_volunteer_is_told_of_a_correction_in_their_name(record, leader, volunteer):
    correction = services.record_correct(actor=leader, record=record, minutes=60, reason="核对")
    notice = Notice.objects.get(user=volunteer.user, kind="record.correction")
    assert "李领队" in notice.body and notice.url.endswith(f"/{correction.pk}/")


def test_the_signal_is_sent_after_commit(record, leader, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.record_correct(actor=leader, record=record, minutes=60, reason="x")
    assert heard == [(ServiceRecord, record.pk, correction.pk)]


def test_who_may_correct(record, outsider, other_org_admin, other_district_admin, volunteer):
    for actor in (outsider, other_org_admin, other_district_admin, volunteer.user):
        with pytest.raises(NotAllowed):
            services.record_correct(actor=actor, record=record, minutes=60, reason="x")
    assert ServiceRecord.objects.count() == 1


def test_the_district_admin_may_correct(record, district_admin):
    correction = services.record_correct(
        actor=district_admin, record=record, minutes=60, reason="区级核查"
    )
    assert correction.recorded_by == district_admin


def test_the_volunteer_rejects_a_record_they_did_not_serve(
    record, volunteer, org_admin, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rejection = services.record_reject(
            actor=volunteer.user, record=record, reason="我那天没有参加"
        )
    assert rejection.minutes == 0 and rejection.corrects == record
    assert rejection.recorded_by == volunteer.user and rejection.reason == "我那天没有参加"
    assert selectors.total_minutes(volunteer) == 0
    assert list(selectors.effective_records(volunteer)) == []
    assert heard == [(ServiceRecord, record.pk, rejection.pk)]
    assert Notice.objects.filter(user=org_admin, kind="record.rejected").exists()
    assert AuditEntry.objects.filter(action="record.rejected").exists()


def test_rejection_needs_a_reason_and_only_the_volunteer(record, leader, outsider, volunteer):
    with pytest.raises(ServiceError) as no_reason:
        services.record_reject(actor=volunteer.user, record=record, reason="")
    assert no_reason.value.code == "reason_required"
    for actor in (leader, outsider):
        with pytest.raises(NotAllowed):
            services.record_reject(actor=actor, record=record, reason="x")
    assert ServiceRecord.objects.count() == 1


def test_effective_records_filters(record, leader, volunteer):
    day = record.served_on
    assert list(selectors.effective_records(volunteer, start=day, end=day)) == [record]
    assert list(selectors.effective_records(volunteer, start=day.replace(year=day.year + 1))) == []
    assert list(selectors.effective_records(volunteer, project_ids=[record.project_id])) == [record]
    assert list(selectors.effective_records(volunteer, project_ids=[])) == []
