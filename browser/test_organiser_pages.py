"""The organiser's pages on a 375-px phone: console, a shift's roster and the project's edit
page fit the screen (nothing scrolls sideways); the team picker and cancelling work there."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from browser.journeys import log_in
from gongyi.notices.models import Notice
from gongyi.orgs.models import Organisation
from gongyi.projects.models import Category, Project, ServicePoint, Shift
from gongyi.regions.models import Region
from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.testing.people import PASSWORD, make_org, make_user, make_volunteer

pytestmark = pytest.mark.browser
PHONE_WIDTH = 375
TITLE = "黄浦区社区老年人智能手机使用与防范电信网络诈骗知识普及志愿服务项目"
FITS = "document.scrollingElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def organiser(regions_loaded):
    """An organisation admin whose project has two shifts and a full, mixed roster."""
    call_command("load_categories", verbosity=0)
    huangpu = Region.objects.get(code="310101")
    admin = make_user(display_name="王建国")
    org = make_org(huangpu, admin=admin, name="上海市黄浦区南京东路街道社区志愿者服务中心")
    for name in ("黄浦助老服务队", "徐汇助老服务队"):
        make_org(huangpu, name=name, kind=Organisation.Kind.PROFESSIONAL_TEAM)
    now = timezone.now()
    project = Project.objects.create(
        number="P310101202611230002",
        organisation=org,
        title=TITLE,
        summary="教老人用智能手机挂号、出行和视频通话",
        category=Category.objects.get(code="community"),
        district=huangpu,
        recruit_start=now - datetime.timedelta(days=1),
        recruit_end=now + datetime.timedelta(days=10),
        service_start=(now + datetime.timedelta(days=5)).date(),
        service_end=(now + datetime.timedelta(days=6)).date(),
        contact_name="王建国",
        contact_phone="13912345678",
        status=Project.Status.PUBLISHED,
        published_at=now,
    )
    point = ServicePoint.objects.create(
        project=project, name="贵州路居委会活动室（南京东路街道社区综合服务中心二楼）"
    )
    start = (now + datetime.timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    shifts = [
        Shift.objects.create(
            project=project,
            point=point,
            starts_at=start + datetime.timedelta(days=d),
            ends_at=start + datetime.timedelta(days=d, hours=3),
            capacity=3,
        )
        for d in (0, 1)
    ]
    for n in range(5):
        volunteer = make_volunteer(real_name=f"欧阳志愿者{n}号")
        signup_create(volunteer=volunteer, shift=shifts[0])
    return admin, project, shifts[0]


def assert_fits(page, shoot, name: str) -> None:
    shoot(name)
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{name}: page is {widths[0]} px wide on a {widths[1]} px screen"


def test_console_roster_and_edit_page_fit_a_375_px_phone(page, live_server, organiser, shoot):
    admin, project, shift = organiser
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
    base = live_server.url
    log_in(page, base, admin.phone, PASSWORD)

    page.goto(f"{base}/signups/console/")
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert_fits(page, shoot, "20-organiser-console-375")

    page.goto(f"{base}/signups/shift/{shift.pk}/roster/")
    assert page.get_by_text("欧阳志愿者0号").is_visible()
    assert_fits(page, shoot, "21-shift-roster-375")

    page.goto(f"{base}/projects/{project.number}/edit/")
    assert_fits(page, shoot, "22-project-edit-375")

    page.goto(f"{base}/projects/{project.number}/cancel/")
    assert_fits(page, shoot, "23-project-cancel-375")


def test_pick_teams_then_cancel_the_project_on_a_phone(page, live_server, organiser, shoot):
    admin, project, _shift = organiser
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
    base = live_server.url
    log_in(page, base, admin.phone, PASSWORD)

    page.goto(f"{base}/projects/{project.number}/edit/")
    page.get_by_placeholder("按名称搜索队伍").fill("助老")
    hit = page.locator("#team-hits").get_by_text("黄浦助老服务队")
    hit.wait_for()
    hit.click()  # ticks the box: htmx moves the team to the chosen list
    page.locator("#team-chosen").get_by_text("黄浦助老服务队").wait_for()
    assert page.locator("#team-hits").get_by_text("黄浦助老服务队").count() == 0
    assert_fits(page, shoot, "24-team-picked-375")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/projects/{project.number}/")
    assert [t.name for t in project.teams_only.all()] == ["黄浦助老服务队"]

    page.goto(f"{base}/projects/{project.number}/edit/")
    page.get_by_role("link", name="取消项目…").click()
    page.get_by_label("取消原因").fill("场地临时维修，活动取消")
    page.get_by_role("button", name="确认取消项目").click()
    page.wait_for_url(f"**/projects/{project.number}/")
    assert page.get_by_text("已取消").first.is_visible()
    assert_fits(page, shoot, "25-project-cancelled-375")
    project.refresh_from_db()
    assert project.status == Project.Status.CANCELLED
    assert not Signup.objects.filter(status__in=Signup.LIVE).exists()
    assert Notice.objects.filter(kind="project.cancelled").count() == 5  # everyone signed up
