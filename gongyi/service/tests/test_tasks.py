"""The daily jobs run as tasks and as commands; each is safe to run twice."""

import io

import pytest
from django.core.management import call_command

from gongyi.service import tasks
from gongyi.service.models import OverdueShift
from gongyi.service.tests.conftest import attend, past_shift, place

pytestmark = pytest.mark.django_db


def test_flag_overdue_hours_task_and_command(project, volunteer):
    shift = past_shift(project, ended_days_ago=40)
    attend(place(volunteer, shift))
    tasks.flag_overdue_hours.enqueue()
    assert OverdueShift.objects.get().shift == shift
    out = io.StringIO()
    call_command("flag_overdue_hours", stdout=out)
    assert out.getvalue().startswith("0 newly flagged")
    assert OverdueShift.objects.count() == 1


def test_escalate_disputes_task_and_command(record, volunteer):
    from datetime import timedelta

    from gongyi.service import services

    dispute = services.dispute_open(
        actor=volunteer.user, record=record, reason="x", now=record.created_at - timedelta(days=30)
    )
    tasks.escalate_disputes.enqueue()
    dispute.refresh_from_db()
    assert dispute.status == "escalated"
    out = io.StringIO()
    call_command("escalate_disputes", stdout=out)
    assert out.getvalue().startswith("0 disputes escalated")
