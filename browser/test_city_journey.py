"""Issue 6's journey in a real browser: the city's rankings, the big-data dashboard (phone
and control-room wall), the economic value page, and a district sub-platform reached by its
path and by its own host name, where a volunteer signed in on the city site is known too.
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from browser.journeys import log_in, snap
from gongyi.certificates.tests.conftest import make_record
from gongyi.projects.models import Category
from gongyi.signups.tests.conftest import make_project
from gongyi.sites.services import site_create
from gongyi.stats import services as tallies
from gongyi.testing.people import PASSWORD, make_org, make_volunteer
from gongyi.value.demo import build_demo_wages

pytestmark = pytest.mark.browser
HUANGPU_ORG = "黄浦区外滩街道志愿者服务中心"
OTHER_ORG = "徐汇区枫林街道志愿者协会"


@pytest.fixture
def city_with_hours(city, district, other_district, city_admin):
    """Two districts, an organisation serving in each, hours over two months, a district
    site for 黄浦区, and a volunteer who opted in to the rankings."""
    call_command("load_categories", verbosity=0)
    health = Category.objects.get(code="health")
    huangpu = make_project(make_org(district, name=HUANGPU_ORG), title="滨江垃圾分类宣传")
    xuhui = make_project(
        make_org(other_district, name=OTHER_ORG), title="社区义诊", category=health
    )
    today = timezone.localdate()
    people = [make_volunteer(real_name=name) for name in ("欧阳晓明", "王芳", "李雷")]
    for i, person in enumerate(people):
        make_record(person, huangpu, minutes=180 + 60 * i, served_on=today)
        make_record(person, xuhui, minutes=120, served_on=today - datetime.timedelta(days=40))
    tallies.set_ranking_consent(volunteer=people[0], given=True)
    tallies.drain()
    build_demo_wages()  # this year's wage table, so the hours have a value
    site_create(
        actor=city_admin,
        district=district,
        name="黄浦公益",
        slug="huangpu",
        host="huangpu.localhost",
        tagline="外滩边的志愿服务",
        primary_colour="#8e1b1b",
    )
    return people[0]


def test_rankings_dashboard_value_and_a_district_site(live_server, new_context, city_with_hours):
    base = live_server.url
    port = base.rsplit(":", 1)[1]
    visitor = new_context().new_page()

    # 1. The city's rankings: organisations, then volunteers (masked, opted in only).
    visitor.goto(f"{base}/rankings/?subject=organisations&region=31")
    assert HUANGPU_ORG in visitor.content() and OTHER_ORG in visitor.content()
    snap(visitor, "50-rankings-organisations")
    visitor.goto(f"{base}/rankings/?subject=volunteers&region=31")
    assert "欧*" in visitor.content() and "王芳" not in visitor.content()
    snap(visitor, "51-rankings-volunteers")

    # 2. The dashboard on a phone, then the large screen on a control-room wall.
    visitor.goto(f"{base}/dashboard/?region=31")
    visitor.locator("canvas, svg").first.wait_for()
    snap(visitor, "52-dashboard-phone")
    wall = new_context().new_page()
    wall.set_viewport_size({"width": 1920, "height": 1080})
    wall.goto(f"{base}/dashboard/screen/?region=31")
    wall.locator("canvas, svg").first.wait_for()
    snap(wall, "53-dashboard-large-screen")

    # 3. The economic value of the hours, with the method explained.
    visitor.goto(f"{base}/value/?region=31")
    assert "尚无工资价位表" not in visitor.content()
    snap(visitor, "54-economic-value")

    # 4. The 黄浦 site by its path: only its district's organisations and rankings.
    visitor.goto(f"{base}/d/huangpu/")
    assert "黄浦公益" in visitor.content()
    snap(visitor, "55-district-site-home")
    visitor.goto(f"{base}/d/huangpu/rankings/")
    assert HUANGPU_ORG in visitor.content() and OTHER_ORG not in visitor.content()
    snap(visitor, "56-district-site-rankings")

    # 5. The same site by its own host name; a volunteer signed in there has one account.
    phone = new_context().new_page()
    site = f"http://huangpu.localhost:{port}"
    log_in(phone, site, city_with_hours.user.phone, PASSWORD)
    phone.goto(f"{site}/hours/")
    assert phone.url.startswith(site) and "滨江垃圾分类宣传" in phone.content()
    snap(phone, "57-district-site-my-hours")
    phone.goto(f"{site}/dashboard/")
    phone.locator("canvas, svg").first.wait_for()
    snap(phone, "58-district-site-dashboard")
