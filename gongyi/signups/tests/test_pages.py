"""The signup pages: one click, my signups, cancel, the organiser console and exports."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.signups.tests.conftest import make_project, make_shift

pytestmark = pytest.mark.django_db
S = Signup.Status


def test_one_click_signup_redirects_with_a_chinese_message(client, shift, volunteer):
    client.force_login(volunteer.user)
    response = client.post(reverse("signups:create", args=[shift.pk]), follow=True)
    assert response.status_code == 200
    assert "报名成功" in response.content.decode()
    assert Signup.objects.get().status == S.CONFIRMED


def test_english_message_on_request(client, shift, volunteer):
    client.force_login(volunteer.user)
    response = client.post(
        reverse("signups:create", args=[shift.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "You are signed up" in response.content.decode()


def test_htmx_gets_a_partial_with_the_outcome(client, shift, volunteer):
    client.force_login(volunteer.user)
    response = client.post(reverse("signups:create", args=[shift.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "已报名" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_htmx_refusal_shows_the_reason(client, org, volunteer):
    closed = make_project(
        org,
        recruit_start=timezone.now() - timedelta(days=3),
        recruit_end=timezone.now() - timedelta(days=1),
    )
    shift = make_shift(closed)
    client.force_login(volunteer.user)
    response = client.post(reverse("signups:create", args=[shift.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "招募已结束" in response.content.decode()


def test_double_post_gives_one_signup(client, shift, volunteer):
    client.force_login(volunteer.user)
    url = reverse("signups:create", args=[shift.pk])
    client.post(url)
    client.post(url)
    shift.refresh_from_db()
    assert Signup.objects.count() == 1 and shift.taken == 1


def test_anonymous_is_sent_to_login_with_next(client, shift):
    response = client.post(reverse("signups:create", args=[shift.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"] and "next=" in response["Location"]
    assert not Signup.objects.exists()


def test_account_without_volunteer_profile_is_sent_to_register(client, shift, outsider):
    client.force_login(outsider)
    response = client.post(reverse("signups:create", args=[shift.pk]))
    assert response.status_code == 302
    assert reverse("accounts:register_volunteer") in response["Location"]
    assert not Signup.objects.exists()


def test_unknown_shift_is_404(client, volunteer):
    client.force_login(volunteer.user)
    assert client.post(reverse("signups:create", args=[999999])).status_code == 404


def test_my_signups_lists_and_cancels(client, shift, volunteer):
    signup = signup_create(volunteer=volunteer, shift=shift)
    client.force_login(volunteer.user)
    page = client.get(reverse("signups:mine")).content.decode()
    assert shift.project.title in page and "取消报名" in page
    client.post(reverse("signups:cancel", args=[signup.pk]))
    signup.refresh_from_db()
    assert signup.status == S.CANCELLED


def test_my_signups_needs_login(client):
    response = client.get(reverse("signups:mine"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_outsider_cannot_cancel_someone_elses_signup(client, shift, volunteer, outsider):
    signup = signup_create(volunteer=volunteer, shift=shift)
    client.force_login(outsider)
    assert client.post(reverse("signups:cancel", args=[signup.pk])).status_code == 403
    signup.refresh_from_db()
    assert signup.status == S.CONFIRMED


# --- organiser console ----------------------------------------------------------------------


def test_roster_shows_full_names_and_phones_to_organisers(client, shift, volunteer, leader):
    signup_create(volunteer=volunteer, shift=shift)
    client.force_login(leader)
    page = client.get(reverse("signups:roster", args=[shift.pk])).content.decode()
    assert volunteer.real_name in page and volunteer.user.phone in page


@pytest.mark.parametrize("who", ["outsider", "other_org_admin", "district_admin", "volunteer"])
def test_roster_refused_to_others(client, shift, volunteer, who, request):
    signup_create(volunteer=volunteer, shift=shift)
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert client.get(reverse("signups:roster", args=[shift.pk])).status_code == 403
    export = reverse("signups:roster_export", args=[shift.project_id])
    assert client.get(export).status_code == 403


def test_roster_anonymous_goes_to_login(client, shift):
    response = client.get(reverse("signups:roster", args=[shift.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_console_lists_my_projects(client, shift, org_admin, outsider):
    client.force_login(org_admin)
    assert shift.project.title in client.get(reverse("signups:console")).content.decode()
    client.force_login(outsider)
    assert shift.project.title not in client.get(reverse("signups:console")).content.decode()


def test_export_csv_has_a_bom_and_parses_back(client, shift, volunteer, org_admin):
    signup_create(volunteer=volunteer, shift=shift)
    client.force_login(org_admin)
    response = client.get(reverse("signups:roster_export", args=[shift.project_id]) + "?format=csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][4] == "姓名"
    assert rows[1][3:6] == [volunteer.number, volunteer.real_name, volunteer.user.phone]


def test_export_xlsx_opens(client, shift, volunteer, org_admin):
    signup_create(volunteer=volunteer, shift=shift)
    client.force_login(org_admin)
    url = reverse("signups:roster_export", args=[shift.project_id]) + "?format=xlsx"
    response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][4] == volunteer.real_name and len(rows) == 2


def test_export_defuses_spreadsheet_formulas(client, shift, org_admin):
    from gongyi.testing.people import make_volunteer

    signup_create(volunteer=make_volunteer(real_name="=HYPERLINK(1)"), shift=shift)
    client.force_login(org_admin)
    url = reverse("signups:roster_export", args=[shift.project_id])
    assert "'=HYPERLINK(1)" in client.get(url).content.decode("utf-8-sig")


def test_approve_reject_move_and_capacity_from_the_roster(client, org, org_admin, volunteers):
    project = make_project(org, review_required=True)
    shift = make_shift(project, capacity=1)
    other = make_shift(project, capacity=3, start=shift.starts_at + timedelta(days=1))
    a, b, c = (signup_create(volunteer=v, shift=shift) for v in volunteers[:3])
    client.force_login(org_admin)
    client.post(reverse("signups:approve", args=[a.pk]))
    client.post(reverse("signups:reject", args=[b.pk]), {"reason": ""})  # refused: no reason
    b.refresh_from_db()
    assert b.status == S.PENDING
    client.post(reverse("signups:reject", args=[b.pk]), {"reason": "年龄不符"})
    client.post(reverse("signups:move", args=[a.pk]), {"shift": other.pk})
    client.post(reverse("signups:capacity", args=[shift.pk]), {"capacity": "5"})
    for s in (a, b, c):
        s.refresh_from_db()
    assert (a.status, a.shift_id) == (S.CONFIRMED, other.pk)
    assert (b.status, b.reason) == (S.REJECTED, "年龄不符")
    shift.refresh_from_db()
    assert shift.capacity == 5 and shift.taken == 0


def test_capacity_below_confirmed_shows_an_error(client, shift, volunteers, org_admin):
    for v in volunteers[:2]:
        signup_create(volunteer=v, shift=shift)
    client.force_login(org_admin)
    response = client.post(
        reverse("signups:capacity", args=[shift.pk]), {"capacity": "1"}, follow=True
    )
    assert "名额不能少于" in response.content.decode()
    shift.refresh_from_db()
    assert shift.capacity == 2


@pytest.mark.parametrize("who", ["outsider", "other_org_admin", "other_district_admin"])
def test_organiser_actions_refused_to_others(client, shift, volunteer, who, request):
    signup = signup_create(volunteer=volunteer, shift=shift)
    client.force_login(request.getfixturevalue(who))
    for url, data in [
        (reverse("signups:approve", args=[signup.pk]), {}),
        (reverse("signups:reject", args=[signup.pk]), {"reason": "x"}),
        (reverse("signups:move", args=[signup.pk]), {"shift": shift.pk}),
        (reverse("signups:capacity", args=[shift.pk]), {"capacity": "9"}),
        (reverse("signups:project_cancel", args=[shift.project_id]), {"reason": "x"}),
    ]:
        assert client.post(url, data).status_code == 403
    signup.refresh_from_db()
    shift.refresh_from_db()
    assert signup.status == S.CONFIRMED and shift.capacity == 2


def test_a_leader_may_decide_but_not_change_capacity(client, shift, leader):
    client.force_login(leader)
    response = client.post(reverse("signups:capacity", args=[shift.pk]), {"capacity": "9"})
    assert response.status_code == 403


def test_project_cancel_page(client, shift, volunteer, org_admin):
    signup_create(volunteer=volunteer, shift=shift)
    client.force_login(org_admin)
    client.post(reverse("signups:project_cancel", args=[shift.project_id]), {"reason": "暴雨"})
    assert not Signup.objects.filter(status__in=Signup.LIVE).exists()


def test_pages_make_the_same_queries_for_one_signup_or_many(client, project, org_admin):
    """No query per row: the roster, the console and my signups read their rows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongyi.testing.people import make_volunteer

    first = make_shift(project, capacity=None)
    second = make_shift(project, capacity=None, start=first.starts_at + timedelta(days=1))
    regular = make_volunteer()
    pages = [
        (org_admin, reverse("signups:roster", args=[first.pk])),
        (org_admin, reverse("signups:console")),
        (regular.user, reverse("signups:mine")),
    ]

    def counts() -> list[int]:
        found = []
        for user, url in pages:
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    signup_create(volunteer=regular, shift=first)
    few = counts()
    signup_create(volunteer=regular, shift=second)
    for _ in range(5):
        signup_create(volunteer=make_volunteer(), shift=first)
    assert counts() == few
