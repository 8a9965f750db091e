"""The attendance pages: the leader's QR screen and roster, the scan, my record, the rules."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.attendance.models import Attendance, AttendancePolicy
from gongyi.attendance.services import check_in_by_leader, qr_token
from gongyi.attendance.tests.conftest import POINT_LAT, POINT_LON
from gongyi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def leader_pages(shift, signup) -> list[tuple[str, str]]:
    """(method, url) of every page only the project's leaders (or managers) may use."""
    return [
        ("get", reverse("attendance:shift", args=[shift.pk])),
        ("get", reverse("attendance:qr", args=[shift.pk])),
        ("get", reverse("attendance:qr_code", args=[shift.pk])),
        ("post", reverse("attendance:leader_check_in", args=[signup.pk])),
        ("post", reverse("attendance:leader_check_out", args=[signup.pk])),
        ("post", reverse("attendance:no_show", args=[signup.pk])),
        ("get", reverse("attendance:policy", args=[shift.project_id])),
        ("post", reverse("attendance:policy", args=[shift.project_id])),
    ]


def body(response) -> str:
    return response.content.decode()


# --- who may see what ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, shift, signup):
    pages = [
        *leader_pages(shift, signup),
        ("get", reverse("attendance:index")),
        ("get", reverse("attendance:scan") + "?t=x"),
        ("get", reverse("attendance:mine", args=[signup.pk])),
    ]
    for method, url in pages:
        response = getattr(client, method)(url, {"reason": "r"} if method == "post" else None)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "other_volunteer", "other_org_admin", "volunteer"])
def test_people_who_do_not_lead_the_project_are_refused_every_leader_page(
    request, client, shift, signup, who
):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    for method, url in leader_pages(shift, signup):
        response = getattr(client, method)(url, {"reason": "r"} if method == "post" else None)
        assert response.status_code == 403, url
    assert not Attendance.objects.exists()
    assert not AttendancePolicy.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_volunteer", "other_org_admin"])
def test_a_check_in_record_is_the_volunteers_and_the_leaders_alone(request, client, signup, who):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("attendance:mine", args=[signup.pk])).status_code == 403


def test_leaders_cannot_change_the_rules_but_managers_can(client, leader, org_admin, project):
    url = reverse("attendance:policy", args=[project.pk])
    client.force_login(leader)
    assert client.get(url).status_code == 403
    client.force_login(org_admin)
    assert client.get(url).status_code == 200


def test_unknown_ids_are_404(client, leader):
    client.force_login(leader)
    for name in ("attendance:shift", "attendance:qr", "attendance:qr_code", "attendance:mine"):
        assert client.get(reverse(name, args=[999_999])).status_code == 404
    assert client.post(reverse("attendance:no_show", args=[999_999])).status_code == 404


def test_index_lists_the_shifts_i_run_and_nothing_for_others(client, leader, outsider, shift):
    client.force_login(leader)
    response = client.get(reverse("attendance:index"))
    assert f'id="attendance-shift-{shift.pk}"' in body(response)
    client.force_login(outsider)
    response = client.get(reverse("attendance:index"))
    assert response.status_code == 200
    assert "attendance-shift-" not in body(response)


# --- the leader's QR screen ---------------------------------------------------------------------


def test_qr_screen_shows_an_inline_svg_that_htmx_refreshes(client, leader, shift):
    client.force_login(leader)
    response = client.get(reverse("attendance:qr", args=[shift.pk]) + "?d=out")
    html = body(response)
    assert response.status_code == 200
    assert "<svg" in html and 'class="att-qr-svg"' in html
    assert 'hx-trigger="every 10s"' in html
    assert 'data-direction="out"' in html
    url = re.search(r'data-scan-url="([^"]+)"', html).group(1)
    assert url.startswith("http://testserver/attendance/scan/?t=")


def test_qr_pages_have_no_inline_script_or_style(client, leader, shift, signup):
    client.force_login(leader)
    for name in ("attendance:qr", "attendance:shift"):
        html = body(client.get(reverse(name, args=[shift.pk])))
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag and "nonce=" in tag
        assert " style=" not in html
        assert "<style" not in html


def test_the_code_on_the_screen_changes_with_time(client, leader, shift, settings):
    client.force_login(leader)
    url = reverse("attendance:qr_code", args=[shift.pk])
    first = re.search(r'data-scan-url="([^"]+)"', body(client.get(url))).group(1)
    assert "<svg" in body(client.get(url))
    token = first.split("t=", 1)[1]
    from urllib.parse import unquote

    from gongyi.attendance.services import read_qr_token

    assert read_qr_token(unquote(token))[0] == shift.pk


def test_a_bad_direction_falls_back_to_check_in(client, leader, shift):
    client.force_login(leader)
    response = client.get(reverse("attendance:qr_code", args=[shift.pk]) + "?d=sideways")
    assert 'data-direction="in"' in body(response)


# --- the volunteer's scan -------------------------------------------------------------------------


def scan_url(shift, direction="in", now=None) -> str:
    token = qr_token(shift=shift, direction=direction, now=now or timezone.now())
    return reverse("attendance:scan") + "?" + f"t={token}"


def test_scanning_while_logged_out_goes_to_login_and_back(client, shift):
    url = scan_url(shift)
    response = client.get(url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse("accounts:login"))
    assert "next=" in location and "scan" in location and "t%3D" in location


def test_scan_page_offers_the_check_in_and_sends_itself(client, volunteer, shift, signup):
    client.force_login(volunteer.user)
    response = client.get(scan_url(shift))
    html = body(response)
    assert response.status_code == 200
    assert 'id="attendance-scan-form"' in html
    assert 'data-auto="1"' in html and 'data-geofence="0"' in html
    assert "js/attendance.js" in html


def test_scan_post_checks_in_and_shows_my_record(client, volunteer, shift, signup):
    client.force_login(volunteer.user)
    token = qr_token(shift=shift, direction="in", now=timezone.now())
    response = client.post(reverse("attendance:scan"), {"t": token, "lat": "", "lon": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:mine", args=[signup.pk])
    assert Attendance.objects.get(signup=signup).state == "in"
    page = client.get(response["Location"])
    assert 'data-state="in"' in body(page)
    assert "签到成功" in body(page)


def test_scan_post_checks_out(client, volunteer, shift, signup, leader):
    check_in_by_leader(actor=leader, signup=signup, reason="r", at=shift.starts_at)
    client.force_login(volunteer.user)
    token = qr_token(shift=shift, direction="out", now=timezone.now())
    response = client.post(reverse("attendance:scan"), {"t": token})
    assert response.status_code == 302
    assert Attendance.objects.get().state == "out"


def test_an_expired_code_says_so_and_changes_nothing(client, volunteer, shift, signup):
    client.force_login(volunteer.user)
    old = timezone.now() - timedelta(minutes=2)
    response = client.get(scan_url(shift, now=old))
    assert response.status_code == 400
    assert 'id="attendance-error"' in body(response)
    assert 'id="attendance-scan-form"' not in body(response)
    token = qr_token(shift=shift, direction="in", now=old)
    response = client.post(reverse("attendance:scan"), {"t": token})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_scanning_twice_says_already_checked_in(client, volunteer, shift, signup):
    client.force_login(volunteer.user)
    token = qr_token(shift=shift, direction="in", now=timezone.now())
    client.post(reverse("attendance:scan"), {"t": token})
    response = client.post(reverse("attendance:scan"), {"t": token})
    assert response.status_code == 400
    assert 'id="attendance-error"' in body(response)
    assert 'data-auto="0"' in body(response)  # never sends itself again after an error
    assert Attendance.objects.count() == 1


def test_scan_in_english_on_request(client, volunteer, shift, signup):
    client.force_login(volunteer.user)
    response = client.get(
        scan_url(shift, now=timezone.now() - timedelta(minutes=5)), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "expired" in body(response)


def test_scan_of_a_code_for_a_shift_i_am_not_on(client, other_volunteer, shift, signup):
    client.force_login(other_volunteer.user)
    response = client.get(scan_url(shift))
    assert response.status_code == 400
    assert 'id="attendance-scan-form"' not in body(response)


def test_scan_with_garbage_never_fails(client, volunteer, signup):
    client.force_login(volunteer.user)
    for token in ("", "x" * 5000, "1.in.1:abc", "%00"):
        assert client.get(reverse("attendance:scan"), {"t": token}).status_code == 400
        assert client.post(reverse("attendance:scan"), {"t": token}).status_code == 400
    response = client.post(reverse("attendance:scan"), {"t": "a", "lat": "north", "lon": "1"})
    assert response.status_code == 400


def test_geofenced_scan_asks_for_the_location(client, volunteer, shift, signup):
    AttendancePolicy.objects.create(project=shift.project, geofence_required=True)
    client.force_login(volunteer.user)
    response = client.get(scan_url(shift))
    assert 'data-geofence="1"' in body(response)
    token = qr_token(shift=shift, direction="in", now=timezone.now())
    response = client.post(reverse("attendance:scan"), {"t": token})
    assert response.status_code == 400
    assert 'id="attendance-scan-form"' in body(response)  # try again with the location
    assert not Attendance.objects.exists()
    response = client.post(
        reverse("attendance:scan"), {"t": token, "lat": POINT_LAT, "lon": POINT_LON}
    )
    assert response.status_code == 302
    assert Attendance.objects.get().in_distance_m == 0


# --- the leader's roster --------------------------------------------------------------------------


def test_roster_lists_confirmed_volunteers_with_their_state(client, leader, shift, signup):
    client.force_login(leader)
    response = client.get(reverse("attendance:shift", args=[shift.pk]))
    html = body(response)
    assert response.status_code == 200
    assert f'id="att-row-{signup.pk}"' in html
    assert signup.volunteer.real_name in html
    assert f'id="att-in-reason-{signup.pk}"' in html
    assert f'id="att-no-show-{signup.pk}"' in html  # the shift has started


def test_leader_checks_in_from_the_roster_with_htmx(client, leader, shift, signup):
    client.force_login(leader)
    url = reverse("attendance:leader_check_in", args=[signup.pk])
    response = client.post(url, {"reason": "手机没电", "at": ""}, HTTP_HX_REQUEST="true")
    html = body(response)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<article class="card att-row" id="att-row-{signup.pk}"')
    assert 'data-state="in"' in html
    attendance = Attendance.objects.get()
    assert attendance.in_by == leader and attendance.reason == "手机没电"
    assert AuditEntry.objects.get(action="attendance.checked_in_by_leader").data["reason"] == (
        "手机没电"
    )


def test_leader_action_without_a_reason_changes_nothing(client, leader, signup):
    client.force_login(leader)
    url = reverse("attendance:leader_check_in", args=[signup.pk])
    response = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert 'class="msg error"' in body(response)
    assert not Attendance.objects.exists()
    response = client.post(url, {"reason": "r", "at": "not a time"}, HTTP_HX_REQUEST="true")
    assert 'class="msg error"' in body(response)
    assert not Attendance.objects.exists()


def test_leader_check_out_with_a_time_and_no_show_without_htmx(
    client, leader, shift, signup, other_volunteer
):
    from gongyi.attendance.tests.conftest import confirm

    other = confirm(other_volunteer, shift)
    client.force_login(leader)
    arrived = timezone.localtime(shift.starts_at).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("attendance:leader_check_in", args=[signup.pk]), {"reason": "r", "at": arrived}
    )
    at = timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("attendance:leader_check_out", args=[signup.pk]), {"reason": "提前离开", "at": at}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("attendance:shift", args=[shift.pk])
    assert Attendance.objects.get(signup=signup).state == "out"
    response = client.post(
        reverse("attendance:no_show", args=[other.pk]), {"reason": "未到"}, follow=True
    )
    assert Attendance.objects.get(signup=other).no_show
    assert f'id="att-row-{other.pk}" data-state="no_show"' in body(response)


def test_leader_sees_a_refusal_as_a_message(client, leader, shift, signup):
    client.force_login(leader)
    url = reverse("attendance:leader_check_out", args=[signup.pk])
    response = client.post(url, {"reason": "r"}, follow=True)
    assert 'class="msg error"' in body(response)
    assert not Attendance.objects.exists()


# --- my record and the rules ----------------------------------------------------------------------


def test_my_record_before_and_after(client, volunteer, signup, leader):
    client.force_login(volunteer.user)
    url = reverse("attendance:mine", args=[signup.pk])
    assert 'data-state="none"' in body(client.get(url))
    check_in_by_leader(actor=leader, signup=signup, reason="代签", at=signup.shift.starts_at)
    html = body(client.get(url))
    assert 'data-state="in"' in html
    assert "代签" in html and "李领队" in html  # who made it and why
    client.force_login(leader)
    assert client.get(url).status_code == 200


def test_manager_sets_the_rules(client, org_admin, project, point):
    client.force_login(org_admin)
    url = reverse("attendance:policy", args=[project.pk])
    html = body(client.get(url))
    assert point.name in html
    response = client.post(url, {"geofence_required": "on", "radius_m": "300"})
    assert response.status_code == 302
    policy = AttendancePolicy.objects.get(project=project)
    assert (policy.geofence_required, policy.radius_m) == (True, 300)
    response = client.post(url, {"geofence_required": "on", "radius_m": "5"})
    assert response.status_code == 400
    assert AttendancePolicy.objects.get(project=project).radius_m == 300
    response = client.post(url, {"radius_m": "abc"})
    assert response.status_code == 400


def test_pages_are_chinese_by_default_and_english_on_request(client, leader, shift, signup):
    client.force_login(leader)
    html = body(client.get(reverse("attendance:shift", args=[shift.pk])))
    assert "签到名单" in html and "出示签到码" in html
    html = body(client.get(reverse("attendance:shift", args=[shift.pk]), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Check-in roster" in html


def test_leader_action_on_a_signup_that_is_not_confirmed_says_why(client, leader, shift):
    from gongyi.signups.models import Signup
    from gongyi.testing.people import make_volunteer

    pending = Signup.objects.create(volunteer=make_volunteer(), shift=shift, status="pending")
    client.force_login(leader)
    url = reverse("attendance:leader_check_in", args=[pending.pk])
    response = client.post(url, {"reason": "r"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'class="msg error"' in body(response)
    assert not Attendance.objects.exists()


def test_roster_and_qr_refresh_read_a_fixed_number_of_queries(
    client, leader, shift, signup, django_assert_max_num_queries
):
    """No query per row: the QR screen refreshes every 10 seconds on every leader's phone."""
    from gongyi.attendance.tests.conftest import confirm
    from gongyi.testing.people import make_volunteer

    for i in range(8):
        other = confirm(make_volunteer(), shift)
        if i % 2:
            check_in_by_leader(actor=leader, signup=other, reason="r", at=shift.starts_at)
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("attendance:shift", args=[shift.pk])).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("attendance:qr_code", args=[shift.pk])).status_code == 200
