"""The hours pages: my hours, a record, the leader's confirm page, the awaiting list,
disputes; every one refuses an outsider."""

import pytest
from django.urls import reverse

from gongyi.service import services
from gongyi.service.models import HoursDeclaration, HoursExclusion, RecordDispute, ServiceRecord
from gongyi.service.tests.conftest import attend, place
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db


def page(client, user, name, *args, **extra):
    client.force_login(user)
    return client.get(reverse(f"service:{name}", args=args), **extra)


def test_my_hours_shows_records_total_source_and_author(client, record, volunteer):
    response = page(client, volunteer.user, "mine")
    text = response.content.decode()
    assert response.status_code == 200
    assert "我的志愿服务时长" in text and "2.5" in text
    assert record.activity in text and "李领队" in text and "签到签退" in text


def test_my_hours_in_english(client, record, volunteer):
    response = page(client, volunteer.user, "mine", HTTP_ACCEPT_LANGUAGE="en")
    assert "My service hours" in response.content.decode()


def test_my_hours_asks_a_plain_account_to_register(client, outsider):
    response = page(client, outsider, "mine")
    assert response.status_code == 200
    assert reverse("accounts:register_volunteer") in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, record):
    for name, args in (("mine", ()), ("record", (record.pk,)), ("awaiting", ())):
        response = client.get(reverse(f"service:{name}", args=args))
        assert response.status_code == 302 and "login" in response["Location"]


def test_record_page_shows_who_made_it_and_from_what(client, record, volunteer):
    text = page(client, volunteer.user, "record", record.pk).content.decode()
    assert "李领队" in text and "签到签退" in text and "人民广场服务点" in text
    assert reverse("service:reject", args=[record.pk]) in text
    assert reverse("service:open_dispute", args=[record.pk]) in text


def test_outsider_is_refused_everywhere(client, record, outsider, other_org_admin, volunteer):
    dispute = services.dispute_open(actor=volunteer.user, record=record, reason="x")
    shift = record.shift
    for user in (outsider, other_org_admin):
        client.force_login(user)
        for name, args in (
            ("record", [record.pk]),
            ("shift", [shift.pk]),
            ("dispute", [dispute.pk]),
        ):
            assert client.get(reverse(f"service:{name}", args=args)).status_code == 403
        for name, args, data in (
            ("reject", [record.pk], {"reason": "x"}),
            ("open_dispute", [record.pk], {"reason": "x"}),
            ("correct", [record.pk], {"minutes": 1, "reason": "x"}),
            ("confirm", [shift.pk], {}),
            ("declare", [record.signup_id], {"minutes": 10, "note": "x"}),
            ("dispute_answer", [dispute.pk], {"answer": "x"}),
            ("dispute_escalate", [dispute.pk], {}),
            ("dispute_resolve", [dispute.pk], {"resolution": "x"}),
            ("dispute_accept", [dispute.pk], {}),
        ):
            response = client.post(reverse(f"service:{name}", args=args), data)
            assert response.status_code == 403, name
    client.force_login(outsider)
    assert client.get(reverse("service:awaiting")).status_code == 403
    assert client.get(reverse("service:disputes")).status_code == 403
    assert ServiceRecord.objects.count() == 1
    assert RecordDispute.objects.get().status == "open"


def test_the_leader_confirms_from_the_page_leaving_one_out(client, shift, attendance, leader):
    other = make_volunteer(real_name="周路人")
    kept = attend(place(other, shift))
    review = page(client, leader, "shift", shift.pk)
    text = review.content.decode()
    assert review.status_code == 200
    assert "袁小明" in text and "周路人" in text and "2.5" in text
    response = client.post(
        reverse("service:confirm", args=[shift.pk]),
        {"exclude": [str(attendance.pk)], f"reason_{attendance.pk}": "未完成服务"},
        follow=True,
    )
    assert response.status_code == 200
    assert ServiceRecord.objects.get().attendance == kept
    assert HoursExclusion.objects.get().attendance == attendance
    assert "已确认" in response.content.decode()


def test_leaving_out_without_a_reason_says_why(client, shift, attendance, leader):
    client.force_login(leader)
    response = client.post(
        reverse("service:confirm", args=[shift.pk]), {"exclude": [str(attendance.pk)]}, follow=True
    )
    assert "请填写" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_awaiting_list_flags_overdue_shifts(client, project, volunteer, org_admin):
    from gongyi.service.tests.conftest import past_shift

    overdue = past_shift(project, ended_days_ago=40)
    attend(place(volunteer, overdue))
    fresh = past_shift(project, ended_days_ago=1)
    attend(place(make_volunteer(), fresh))
    response = page(client, org_admin, "awaiting")
    text = response.content.decode()
    assert response.status_code == 200
    assert reverse("service:shift", args=[overdue.pk]) in text
    assert reverse("service:shift", args=[fresh.pk]) in text
    assert text.count("已逾期") >= 1 and 'class="overdue"' in text
    org_page = client.get(reverse("service:awaiting"), {"org": project.organisation_id})
    assert org_page.status_code == 200


def test_the_leader_decides_a_declaration_on_the_shift_page(client, signup, leader):
    declaration = services.declare_hours(
        actor=signup.volunteer.user, signup=signup, minutes=100, note="忘记签到"
    )
    assert "忘记签到" in page(client, leader, "shift", signup.shift_id).content.decode()
    client.post(
        reverse("service:decide_declaration", args=[declaration.pk]),
        {"accept": "1", "minutes": "90"},
    )
    declaration.refresh_from_db()
    assert declaration.status == "confirmed" and declaration.record.minutes == 90


def test_the_volunteer_declares_from_my_hours(client, signup, volunteer):
    text = page(client, volunteer.user, "mine").content.decode()
    assert reverse("service:declare", args=[signup.pk]) in text
    client.post(reverse("service:declare", args=[signup.pk]), {"minutes": "500", "note": "x"})
    assert not HoursDeclaration.objects.exists()  # above the shift's 180 minutes
    client.post(reverse("service:declare", args=[signup.pk]), {"minutes": "120", "note": "补录"})
    assert HoursDeclaration.objects.get().minutes == 120


def test_reject_and_correct_from_the_record_page(client, record, volunteer, leader):
    client.force_login(leader)
    response = client.post(
        reverse("service:correct", args=[record.pk]), {"minutes": "100", "reason": "核对"}
    )
    correction = ServiceRecord.objects.get(corrects=record)
    assert response["Location"] == reverse("service:record", args=[correction.pk])
    client.force_login(volunteer.user)
    old = page(client, volunteer.user, "record", record.pk).content.decode()
    assert "已被更正" in old
    client.post(reverse("service:reject", args=[correction.pk]), {"reason": "没去"})
    assert ServiceRecord.objects.get(corrects=correction).minutes == 0


def test_dispute_pages_for_volunteer_org_and_district(
    client, record, volunteer, leader, district_admin
):
    client.force_login(volunteer.user)
    response = client.post(reverse("service:open_dispute", args=[record.pk]), {"reason": "少算"})
    dispute = RecordDispute.objects.get()
    assert response["Location"] == reverse("service:dispute", args=[dispute.pk])
    assert "少算" in page(client, leader, "disputes").content.decode()
    client.post(reverse("service:dispute_answer", args=[dispute.pk]), {"answer": "已核对"})
    client.force_login(volunteer.user)
    client.post(reverse("service:dispute_escalate", args=[dispute.pk]), {"reason": "不同意"})
    text = page(client, district_admin, "dispute", dispute.pk).content.decode()
    assert reverse("service:dispute_resolve", args=[dispute.pk]) in text
    client.post(
        reverse("service:dispute_resolve", args=[dispute.pk]),
        {"resolution": "维持原记录"},
    )
    dispute.refresh_from_db()
    assert dispute.status == "resolved" and dispute.resolved_by == district_admin


def test_the_record_page_reads_a_correction_chain_in_constant_queries(
    client, record, leader, volunteer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(pk) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("service:record", args=[pk])).status_code == 200
        return len(captured)

    client.force_login(volunteer.user)
    queries(record.pk)  # warm up
    alone = queries(record.pk)
    head = record
    for minutes in (140, 130, 120, 110):
        head = services.record_correct(actor=leader, record=head, minutes=minutes, reason="核对")
    assert queries(head.pk) == alone  # the effective end of a chain of five
