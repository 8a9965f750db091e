"""补录: a volunteer declares hours for a past shift; they count once the leader confirms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.notices.models import Notice
from gongyi.service import selectors, services
from gongyi.service.models import HoursDeclaration, OverdueShift, ServiceRecord
from gongyi.service.tests.conftest import attend, past_shift, place
from gongyi.signups.models import Signup

pytestmark = pytest.mark.django_db


def declare(signup, minutes=120, note="忘记签到，现场由李领队安排"):
    return services.declare_hours(
        actor=signup.volunteer.user, signup=signup, minutes=minutes, note=note
    )


def test_declare_then_confirm(signup, volunteer, leader):
    declaration = declare(signup)
    assert declaration.status == "pending"
    assert selectors.total_minutes(volunteer) == 0  # not before the leader confirms
    assert Notice.objects.filter(user=leader, kind="declaration.created").exists()

    decided = services.decide_declaration(actor=leader, declaration=declaration, accept=True)
    assert decided.status == "confirmed" and decided.decided_by == leader
    record = decided.record
    assert record.source == "declaration" and record.minutes == 120
    assert record.signup == signup and record.recorded_by == leader
    assert record.started_at is None and record.reason == declaration.note
    assert selectors.total_minutes(volunteer) == 120
    assert Notice.objects.filter(user=volunteer.user, kind="record.declaration").exists()


def test_the_leader_may_lower_the_minutes(signup, leader):
    declaration = declare(signup, minutes=170)
    decided = services.decide_declaration(
        actor=leader, declaration=declaration, accept=True, minutes=90
    )
    assert decided.record.minutes == 90


def test_never_more_than_the_shift_length(signup, leader):
    with pytest.raises(ServiceError) as refused:
        declare(signup, minutes=181)
    assert refused.value.code == "above_shift_length"
    declaration = declare(signup, minutes=180)
    with pytest.raises(ServiceError):
        services.decide_declaration(actor=leader, declaration=declaration, accept=True, minutes=181)
    assert not ServiceRecord.objects.exists()


def test_refused_with_a_reason(signup, volunteer, leader):
    declaration = declare(signup)
    with pytest.raises(ServiceError):
        services.decide_declaration(actor=leader, declaration=declaration, accept=False)
    decided = services.decide_declaration(
        actor=leader, declaration=declaration, accept=False, reason="当天未到场"
    )
    assert decided.status == "refused" and decided.record is None
    assert Notice.objects.filter(user=volunteer.user, kind="declaration.refused").exists()
    with pytest.raises(ServiceError) as again:
        services.decide_declaration(actor=leader, declaration=decided, accept=True)
    assert again.value.code == "already_decided"


def test_one_pending_declaration_per_signup(signup):
    declare(signup)
    with pytest.raises(ServiceError) as refused:
        declare(signup)
    assert refused.value.code == "already_declared"
    assert HoursDeclaration.objects.count() == 1


def test_not_for_a_shift_already_recorded_or_waiting(signup, leader):
    attend(signup)
    with pytest.raises(ServiceError) as waiting:
        declare(signup)
    assert waiting.value.code == "awaiting_confirmation"
    services.confirm_shift_hours(actor=leader, shift=signup.shift)
    with pytest.raises(ServiceError) as recorded:
        declare(signup)
    assert recorded.value.code == "already_recorded"


def test_not_checked_out_may_declare(signup, leader):
    attend(signup, out=False)
    declaration = declare(signup)
    services.decide_declaration(actor=leader, declaration=declaration, accept=True)
    assert selectors.total_minutes(signup.volunteer) == 120


def test_only_past_shifts_with_a_place(project, volunteer, shift):
    upcoming = past_shift(project, start=timezone.now() + timedelta(days=1))
    with pytest.raises(ServiceError) as not_ended:
        declare(place(volunteer, upcoming))
    assert not_ended.value.code == "not_ended"
    waitlisted = Signup.objects.create(volunteer=volunteer, shift=shift, status="waitlisted")
    with pytest.raises(ServiceError) as no_place:
        declare(waitlisted)
    assert no_place.value.code == "not_confirmed"


def test_nobody_declares_for_someone_else(signup, outsider, leader):
    for actor in (outsider, leader):
        with pytest.raises(NotAllowed):
            services.declare_hours(actor=actor, signup=signup, minutes=60, note="x")


def test_outsiders_cannot_decide(signup, outsider, other_org_admin):
    declaration = declare(signup)
    for actor in (outsider, other_org_admin, signup.volunteer.user):
        with pytest.raises(NotAllowed):
            services.decide_declaration(actor=actor, declaration=declaration, accept=True)


def test_declarable_list(signup, volunteer, project):
    assert selectors.declarable_signups(volunteer=volunteer) == [signup]
    declare(signup)
    assert selectors.declarable_signups(volunteer=volunteer) == []


def test_overdue_declarations_are_flagged_once_and_need_the_district(
    signup, leader, org_admin, district_admin
):
    declaration = declare(signup)
    later = declaration.created_at + timedelta(days=30)
    assert services.flag_overdue_hours(now=later) == 1
    assert services.flag_overdue_hours(now=later) == 0
    assert not OverdueShift.objects.exists()  # the shift itself has nothing waiting
    assert Notice.objects.filter(user=district_admin, kind="hours.overdue").count() == 1
    with pytest.raises(ServiceError) as refused:
        services.decide_declaration(actor=leader, declaration=declaration, accept=True, now=later)
    assert refused.value.code == "late"
    decided = services.decide_declaration(
        actor=district_admin, declaration=declaration, accept=True, now=later
    )
    assert decided.status == "confirmed"
