"""Issue 4's journey in a real browser: serve and prove.

A project leader shows the rotating check-in QR code; a volunteer's phone (with its location,
as the project checks people in on site) opens the code's link and is checked in, later
checked out the same way; the leader confirms the shift's hours; the volunteer sees them under
"my hours", gets a certificate, downloads its PDF, and a stranger verifies it on the public
page. Three browser contexts: the leader's, the volunteer's phone and an anonymous visitor's.
"""

import datetime
import io
import pathlib

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from pypdf import PdfReader

from browser.journeys import log_in, snap
from gongyi.attendance.models import Attendance
from gongyi.attendance.services import set_policy
from gongyi.certificates import pdf
from gongyi.certificates.models import Certificate
from gongyi.orgs.models import Membership
from gongyi.projects.models import Category, Shift
from gongyi.projects.services import point_create, project_create, project_publish, shift_create
from gongyi.service.models import ServiceRecord
from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.testing.people import PASSWORD, make_org, make_user, make_volunteer

pytestmark = pytest.mark.browser
TITLE = "南京东路社区助老陪伴"
POINT = {"latitude": 31.2370, "longitude": 121.4800}  # 贵州路居委会活动室
NEARBY = {"latitude": 31.2374, "longitude": 121.4803}  # the volunteer's phone, ~50 m away
NAME = "欧阳晓明"


@pytest.fixture
def served(district):
    """A published, geofenced project whose one-hour shift starts in five minutes (so check-in
    is open: it opens an hour before the start), its project leader, and a volunteer holding
    a confirmed place. Made through the real services, as an organisation would."""
    if not pdf.find_font():
        pytest.skip("the Chinese PDF font (fonts-wqy-zenhei) is not installed")
    call_command("load_categories", verbosity=0)
    admin = make_user(display_name="王建国")
    org = make_org(district, admin=admin, name="黄浦区南京东路街道志愿者服务中心")
    leader = make_user(display_name="李组长")
    Membership.objects.create(
        organisation=org, user=leader, role=Membership.Role.LEADER, status="active"
    )
    now = timezone.now()
    today = timezone.localdate(now)
    project = project_create(
        actor=admin,
        org=org,
        title=TITLE,
        summary="陪社区独居老人聊天、读报，帮他们用手机挂号",
        category=Category.objects.get(code="community"),
        district=district,
        recruit_start=now - datetime.timedelta(days=1),
        recruit_end=now + datetime.timedelta(days=1),
        service_start=today - datetime.timedelta(days=1),  # covers the shift even near midnight
        service_end=today + datetime.timedelta(days=1),
        contact_name="王建国",
        contact_phone="13912345678",
    )
    point = point_create(actor=admin, project=project, name="贵州路居委会活动室", **POINT)
    starts = now + datetime.timedelta(minutes=5)
    shift = shift_create(
        actor=admin,
        project=project,
        point=point,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        capacity=10,
    )
    project_publish(actor=admin, project=project)
    shift = Shift.objects.select_related("project").get(pk=shift.pk)  # the published project
    set_policy(actor=admin, project=project, geofence_required=True, radius_m=300)
    volunteer = make_volunteer(real_name=NAME)
    signup = signup_create(volunteer=volunteer, shift=shift)
    assert signup.status == Signup.Status.CONFIRMED
    return leader, volunteer, shift


def scan_code(leader, volunteer, direction: str) -> str:
    """The leader's screen shows the code for `direction`; the volunteer's phone opens the link
    the code holds (what the camera app would do) and the page sends itself with the location.
    """
    assert leader.locator("#attendance-qr").get_attribute("data-direction") == direction
    assert leader.locator("#attendance-qr svg").is_visible()
    url = leader.locator("#attendance-qr").get_attribute("data-scan-url")
    assert "/attendance/scan/?t=" in url
    volunteer.goto(url)
    volunteer.wait_for_url("**/attendance/signup/*/")
    return url


def move_back(shift: Shift, minutes: int) -> None:
    """Move the shift and its check-ins `minutes` into the past: the browser cannot wait an hour
    for the shift to run, so the data travels in time instead of the clock (nothing mocked)."""
    delta = datetime.timedelta(minutes=minutes)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=F("starts_at") - delta, ends_at=F("ends_at") - delta
    )
    Attendance.objects.filter(signup__shift=shift).update(checked_in_at=F("checked_in_at") - delta)


def test_leader_shows_qr_volunteer_checks_in_and_out_and_proves_the_hours(
    live_server, new_context, served
):
    leader_user, volunteer, shift = served
    base = live_server.url
    leader = new_context().new_page()
    phone = new_context(geolocation=NEARBY, permissions=["geolocation"]).new_page()
    visitor = new_context().new_page()
    log_in(leader, base, leader_user.phone, PASSWORD)
    log_in(phone, base, volunteer.user.phone, PASSWORD)

    # 1. The leader opens the check-in screen of the shift.
    leader.goto(f"{base}/attendance/shift/{shift.pk}/qr/")
    snap(leader, "30-leader-check-in-qr")

    # 2. The volunteer's phone opens the code's link and is checked in on site.
    scan_code(leader, phone, "in")
    assert phone.get_by_text("签到成功。").is_visible()
    assert phone.locator("#attendance-record").get_attribute("data-state") == "in"
    snap(phone, "31-volunteer-checked-in")
    attendance = Attendance.objects.get(signup__shift=shift, signup__volunteer=volunteer)
    assert attendance.in_method == Attendance.Method.QR
    assert attendance.in_distance_m is not None and attendance.in_distance_m <= 300

    # An hour of service: the shift started 55 minutes ago and still runs for five (check-out
    # while it runs is allowed); the check-in moves back with it, five minutes before the start.
    move_back(shift, 60)
    leader.locator("#attendance-tab-out").click()
    leader.wait_for_url("**/qr/?d=out")
    snap(leader, "32-leader-check-out-qr")
    scan_code(leader, phone, "out")
    assert phone.get_by_text("签退成功。").is_visible()
    assert phone.locator("#attendance-record").get_attribute("data-state") == "out"
    assert phone.locator("#attendance-served").inner_text().startswith("60")
    snap(phone, "33-volunteer-checked-out")
    attendance.refresh_from_db()
    assert attendance.out_method == Attendance.Method.QR and attendance.out_distance_m <= 300

    # 3. Hours are confirmed once the shift has ended (confirm_shift_hours refuses before):
    # end it now, keeping its one hour. The served 60-odd minutes are capped at that hour.
    ends = timezone.now() - datetime.timedelta(seconds=1)
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=ends - datetime.timedelta(hours=1), ends_at=ends
    )
    leader.goto(f"{base}/hours/shift/{shift.pk}/")
    assert leader.get_by_text(NAME).is_visible()
    assert leader.locator("tr.state-pending").get_by_text("待确认", exact=True).is_visible()
    snap(leader, "34-leader-hours-to-confirm")
    leader.locator(f"form[action='/hours/shift/{shift.pk}/confirm/'] button[type=submit]").click()
    leader.wait_for_url(f"**/hours/shift/{shift.pk}/")
    assert leader.get_by_text("已记录：1.0 小时").is_visible()
    snap(leader, "35-leader-hours-confirmed")
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert record.minutes == 60  # an hour and some seconds served, capped at the shift's hour
    assert (record.attendance_id, record.recorded_by) == (attendance.pk, leader_user)

    # 4. The volunteer sees the hours, gets a certificate and downloads its PDF.
    phone.goto(f"{base}/hours/")
    assert phone.locator(".total-hours strong").inner_text() == "1.0"
    assert phone.get_by_text(TITLE).first.is_visible()
    snap(phone, "36-volunteer-my-hours")

    phone.goto(f"{base}/certificates/new/")
    phone.get_by_role("button", name="出具证明").click()
    phone.wait_for_url("**/certificates/")
    certificate = Certificate.objects.get(volunteer=volunteer)
    card = phone.locator(".certificate-card", has_text=certificate.number)
    assert card.get_by_text(certificate.code).is_visible()
    snap(phone, "37-volunteer-certificate-issued")
    with phone.expect_download() as download:
        card.locator("a[href$='/pdf/?lang=zh-hans']").click()
    body = pathlib.Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert NAME in text and certificate.number in text and TITLE in text

    # A stranger (no login) checks it on the public page: genuine, the name masked.
    visitor.goto(base + certificate.verify_path)
    assert visitor.locator(".verdict-genuine").get_by_role("heading", name="真实有效").is_visible()
    assert visitor.get_by_text("欧***", exact=True).is_visible()
    assert NAME not in visitor.content()
    assert volunteer.id_number_masked in visitor.content()
    snap(visitor, "38-public-verification-genuine")
