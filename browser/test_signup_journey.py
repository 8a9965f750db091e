"""Issue 3's journey in a real browser on a phone: a visitor searches for a project,
registers, signs up in one click, finds it under "my signups" and cancels."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from browser.journeys import register_volunteer, sign_up
from gongyi.accounts.tests.helpers import resident_id
from gongyi.projects import next_starts
from gongyi.projects.models import Category, Project, ServicePoint, Shift
from gongyi.projects.search import tokens_for_search
from gongyi.regions.models import Region
from gongyi.signups.models import Signup
from gongyi.testing.people import make_org

pytestmark = pytest.mark.browser
PHONE = "13698765432"
TITLE = "社区老人智能手机培训"
SUMMARY = "教老人用智能手机挂号、出行和视频通话"


@pytest.fixture
def project(regions_loaded) -> Project:
    call_command("load_categories", verbosity=0)
    huangpu = Region.objects.get(code="310101")
    org = make_org(huangpu, name="黄浦区志愿者协会")
    now = timezone.now()
    project = Project.objects.create(
        number="P310101202611230001",
        organisation=org,
        title=TITLE,
        summary=SUMMARY,
        category=Category.objects.get(code="community"),
        district=huangpu,
        recruit_start=now - datetime.timedelta(days=1),
        recruit_end=now + datetime.timedelta(days=10),
        service_start=(now + datetime.timedelta(days=5)).date(),
        service_end=(now + datetime.timedelta(days=5)).date(),
        contact_name="王建国",
        contact_phone="13912345678",
        status=Project.Status.PUBLISHED,
        published_at=now,
        search_tokens=tokens_for_search(
            "社区老人智能手机培训", "教老人用智能手机挂号、出行和视频通话"
        ),
    )
    point = ServicePoint.objects.create(project=project, name="贵州路居委会活动室")
    start = (now + datetime.timedelta(days=5)).replace(hour=1, minute=0, second=0, microsecond=0)
    Shift.objects.create(
        project=project,
        point=point,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=5,
    )
    next_starts.refresh([project.pk])
    return project


def test_search_register_sign_up_and_cancel(page, live_server, project, shoot):
    base = live_server.url
    page.goto(f"{base}/projects/?q=老人")
    page.get_by_role("link", name=project.title).first.click()
    page.wait_for_url(f"**/projects/{project.number}/")
    shoot("10-project-found-by-search")

    sign_up(page, base, PHONE)
    id_number = resident_id(datetime.date(1990, 1, 1), order=123)
    register_volunteer(page, base, name="李晓明", id_number=id_number)

    page.goto(f"{base}/projects/{project.number}/")
    page.get_by_role("button", name="报名", exact=True).first.click()
    page.wait_for_load_state()
    shoot("11-signed-up")
    signup = Signup.objects.get(volunteer__user__phone=PHONE)
    assert signup.status == "confirmed"

    page.goto(f"{base}/signups/mine/")
    assert project.title in page.content()
    shoot("12-my-signups")
    page.get_by_role("button", name="取消报名").first.click()
    page.wait_for_load_state()
    shoot("13-cancelled")
    signup.refresh_from_db()
    assert signup.status == "cancelled"
