"""My calendar (my signups) and an organisation's calendar (its projects' shifts)."""

import datetime

from django.urls import reverse

from gongyi.calendars.tests.conftest import make_project, make_shift, shanghai
from gongyi.projects.models import Project
from gongyi.signups.services import signup_cancel, signup_create
from gongyi.testing.people import make_org, make_volunteer

MINE = reverse("calendars:mine")


def month(day: datetime.date) -> dict:
    return {"month": f"{day:%Y-%m}"}


# --- my calendar ----------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(MINE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_account_without_a_volunteer_profile_is_told_to_register(client, outsider):
    client.force_login(outsider)
    response = client.get(MINE)
    assert response.status_code == 200
    assert "cal-days" not in response.content.decode()
    assert reverse("accounts:me") in response.content.decode()


def test_my_calendar_shows_my_signups_with_their_status(
    client, volunteer, project, morning_shift, next_month
):
    confirmed = signup_create(volunteer=volunteer, shift=morning_shift)
    full = make_shift(
        project, start=shanghai(next_month + datetime.timedelta(days=1), 14), capacity=1
    )
    signup_create(volunteer=make_volunteer(), shift=full)
    waiting = signup_create(volunteer=volunteer, shift=full)
    client.force_login(volunteer.user)
    html = client.get(MINE, month(next_month), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"signup-{confirmed.status}" in html and f"signup-{waiting.status}" in html
    assert "09:00–12:00" in html and "14:00" in html
    assert "Waitlisted" in html and "Confirmed" in html


def test_a_cancelled_signup_is_not_on_my_calendar(client, volunteer, morning_shift, next_month):
    signup = signup_create(volunteer=volunteer, shift=morning_shift)
    signup_cancel(actor=volunteer.user, signup=signup)
    client.force_login(volunteer.user)
    html = client.get(MINE, month(next_month)).content.decode()
    assert "09:00–12:00" not in html


def test_someone_elses_signups_are_not_on_my_calendar(client, volunteer, morning_shift, next_month):
    signup_create(volunteer=make_volunteer(), shift=morning_shift)
    client.force_login(volunteer.user)
    html = client.get(MINE, month(next_month)).content.decode()
    assert morning_shift.project.title not in html.split("cal-days")[1]


def test_my_calendar_has_a_week_view_and_refuses_a_bad_week(
    client, volunteer, morning_shift, next_month
):
    signup_create(volunteer=volunteer, shift=morning_shift)
    client.force_login(volunteer.user)
    year, number, _ = next_month.isocalendar()
    response = client.get(MINE, {"week": f"{year}-W{number:02d}"})
    assert response.status_code == 200 and "09:00–12:00" in response.content.decode()
    assert client.get(MINE, {"week": "2026-W99"}).status_code == 400


def test_my_calendar_reads_few_queries(
    client, volunteer, project, next_month, django_assert_max_num_queries
):
    for hour in range(8, 18):
        shift = make_shift(project, start=shanghai(next_month, hour), hours=1)
        signup_create(volunteer=volunteer, shift=shift)
    client.force_login(volunteer.user)
    with django_assert_max_num_queries(8):
        html = client.get(MINE, month(next_month)).content.decode()
    assert html.count('class="cal-entry') == 4  # the day's cap; the rest is "more…"


# --- an organisation's calendar -------------------------------------------------------------


def org_url(org) -> str:
    return reverse("calendars:org", args=[org.pk])


def test_anyone_sees_a_verified_orgs_published_shifts(client, org, morning_shift, next_month):
    draft = make_project(org, status=Project.Status.DRAFT, published_at=None, title="草稿项目")
    make_shift(draft, start=shanghai(next_month, 15))
    response = client.get(org_url(org), month(next_month))
    html = response.content.decode()
    assert response.status_code == 200
    assert morning_shift.project.title in html and "草稿项目" not in html
    assert reverse("api:calendar_org_feed", args=[org.pk]) in html
    assert "webcal://" in html


def test_the_orgs_admins_and_leaders_also_see_drafts_marked(client, org, org_admin, next_month):
    from gongyi.orgs.models import Membership
    from gongyi.testing.people import make_user

    draft = make_project(org, status=Project.Status.DRAFT, published_at=None, title="草稿项目")
    make_shift(draft, start=shanghai(next_month, 15))
    leader = make_user()
    Membership.objects.create(organisation=org, user=leader, role="leader", status="active")
    for person in (org_admin, leader):
        client.force_login(person)
        html = client.get(org_url(org), month(next_month)).content.decode()
        assert "草稿项目" in html and "status-draft" in html


def test_an_outsider_or_another_org_never_sees_the_drafts(
    client, org, outsider, other_district, next_month
):
    from gongyi.testing.people import make_user

    draft = make_project(org, status=Project.Status.DRAFT, published_at=None, title="草稿项目")
    make_shift(draft, start=shanghai(next_month, 15))
    other_admin = make_user()
    make_org(other_district, admin=other_admin)
    for person in (outsider, other_admin):
        client.force_login(person)
        assert "草稿项目" not in client.get(org_url(org), month(next_month)).content.decode()


def test_an_unverified_org_is_hidden_from_outsiders(client, district, outsider):
    pending = make_org(district, status="pending")
    client.force_login(outsider)
    assert client.get(org_url(pending)).status_code == 404
    assert client.get(reverse("calendars:org", args=[999999])).status_code == 404


def test_an_unverified_orgs_own_admin_sees_its_calendar_without_a_feed(client, district):
    from gongyi.testing.people import make_user

    admin = make_user()
    pending = make_org(district, status="pending", admin=admin)
    client.force_login(admin)
    response = client.get(org_url(pending))
    assert response.status_code == 200
    assert "webcal://" not in response.content.decode()


def test_the_org_calendar_shows_only_that_orgs_shifts(
    client, org, morning_shift, district, next_month
):
    other = make_project(make_org(district), title="别家的项目")
    make_shift(other, start=shanghai(next_month, 10))
    html = client.get(org_url(org), month(next_month)).content.decode()
    assert "别家的项目" not in html


def test_the_org_calendar_refuses_a_bad_month_clearly(client, org):
    response = client.get(org_url(org), {"month": "2026-99"})
    assert response.status_code == 400
    assert 'class="msg error"' in response.content.decode()
