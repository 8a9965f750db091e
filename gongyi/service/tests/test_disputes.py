"""申诉: the volunteer disputes, the organisation answers (and may correct), the district
resolves what is not resolved within 5 working days."""

from datetime import timedelta

import pytest

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.notices.models import Notice
from gongyi.service import holidays, selectors, services
from gongyi.service.models import RecordDispute, WorkdayOverride
from gongyi.service.tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(record, volunteer):
    return services.dispute_open(actor=volunteer.user, record=record, reason="我服务了3个小时")


def test_open_answer_with_correction_accept(dispute, record, volunteer, leader):
    assert dispute.status == "open"
    assert Notice.objects.filter(user=leader, kind="dispute.opened").exists()
    answered = services.dispute_answer(
        actor=leader, dispute=dispute, answer="核对签到表后更正为3小时", minutes=180
    )
    assert answered.status == "answered" and answered.answered_by == leader
    assert answered.correction.corrects == record and answered.correction.minutes == 180
    assert selectors.total_minutes(volunteer) == 180
    assert Notice.objects.filter(user=volunteer.user, kind="dispute.updated").exists()
    accepted = services.dispute_accept(actor=volunteer.user, dispute=answered)
    assert accepted.status == "resolved" and accepted.resolved_by == volunteer.user


def test_one_dispute_under_way_per_record(dispute, record, volunteer):
    with pytest.raises(ServiceError) as refused:
        services.dispute_open(actor=volunteer.user, record=record, reason="again")
    assert refused.value.code == "already_disputed"


def test_only_the_volunteer_disputes_and_only_the_org_answers(
    record, dispute, outsider, leader, other_org_admin, district_admin, volunteer
):
    for actor in (outsider, leader):
        with pytest.raises(NotAllowed):
            services.dispute_open(actor=actor, record=record, reason="x")
    for actor in (outsider, other_org_admin, volunteer.user, district_admin):
        with pytest.raises(NotAllowed):
            services.dispute_answer(actor=actor, dispute=dispute, answer="x")
    for actor in (outsider, leader, volunteer.user, other_org_admin):
        with pytest.raises(NotAllowed):
            services.dispute_resolve(actor=actor, dispute=dispute, resolution="x")
    for actor in (outsider, other_org_admin):
        with pytest.raises(NotAllowed):
            services.dispute_escalate(actor=actor, dispute=dispute)
    with pytest.raises(NotAllowed):
        services.dispute_accept(actor=leader, dispute=dispute)


def test_unresolved_after_five_working_days_goes_to_the_district(
    record, volunteer, leader, district_admin
):
    holidays.load(WorkdayOverride)
    # Opened on Friday Sep 25, 2026 (Mid-Autumn): 5 working days are Sep 28, 29, 30,
    # Oct 8, 9 (National Day in between), so it escalates on Oct 10, not before.
    dispute = services.dispute_open(
        actor=volunteer.user, record=record, reason="少算了", now=local(2026, 9, 25, 10)
    )
    assert selectors.dispute_deadline(dispute) == local(2026, 10, 9).date()
    assert services.escalate_disputes(now=local(2026, 10, 9, 23)) == 0
    assert services.escalate_disputes(now=local(2026, 10, 10, 8)) == 1
    assert services.escalate_disputes(now=local(2026, 10, 12, 8)) == 0  # idempotent
    dispute.refresh_from_db()
    assert dispute.status == "escalated" and dispute.escalated_by is None
    assert Notice.objects.filter(user=district_admin, kind="dispute.escalated").count() == 1
    assert Notice.objects.filter(user=volunteer.user, kind="dispute.escalated").exists()

    # The organisation can no longer answer; the district admin resolves, with a correction.
    with pytest.raises(ServiceError):
        services.dispute_answer(actor=leader, dispute=dispute, answer="x")
    resolved = services.dispute_resolve(
        actor=district_admin, dispute=dispute, resolution="按签到记录认定3小时", minutes=180
    )
    assert resolved.status == "resolved" and resolved.correction.minutes == 180
    assert selectors.total_minutes(volunteer) == 180
    assert Notice.objects.filter(user=volunteer.user, kind="dispute.resolved").exists()


def test_an_answer_not_accepted_also_escalates(dispute, leader):
    services.dispute_answer(actor=leader, dispute=dispute, answer="记录无误")
    assert services.escalate_disputes(now=dispute.created_at + timedelta(days=20)) == 1
    dispute.refresh_from_db()
    assert dispute.status == "escalated"


def test_resolved_disputes_stay_resolved(dispute, volunteer, leader):
    services.dispute_answer(actor=leader, dispute=dispute, answer="记录无误")
    services.dispute_accept(actor=volunteer.user, dispute=dispute)
    assert services.escalate_disputes(now=dispute.created_at + timedelta(days=20)) == 0


def test_the_volunteer_or_the_org_may_escalate_at_once(dispute, volunteer, district_admin):
    escalated = services.dispute_escalate(actor=volunteer.user, dispute=dispute, reason="不满意")
    assert escalated.status == "escalated" and escalated.escalated_by == volunteer.user
    assert Notice.objects.filter(user=district_admin, kind="dispute.escalated").exists()
    with pytest.raises(ServiceError):
        services.dispute_escalate(actor=volunteer.user, dispute=dispute)


def test_dispute_lists(dispute, leader, district_admin, other_district_admin, volunteer):
    assert list(selectors.disputes_to_handle(user=leader)) == [dispute]
    assert list(selectors.disputes_to_handle(user=district_admin)) == [dispute]
    assert list(selectors.disputes_to_handle(user=other_district_admin)) == []
    assert list(selectors.my_disputes(volunteer=volunteer)) == [dispute]
    assert RecordDispute.objects.count() == 1
