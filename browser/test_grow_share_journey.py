"""Issue 5's journey in a real browser: calendar, snapshots, sharing and growth.

A visitor opens the project calendar and finds a shift; a volunteer who served the project
subscribes to their own calendar feed, uploads a photo (with GPS in it) that the organiser
approves; a visitor shares the project with a short link, opens it and downloads its poster;
the volunteer looks at their growth and opens their public identity card. Three contexts:
the volunteer's phone, the organiser's and an anonymous visitor's.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from browser.journeys import log_in, snap
from gongyi.certificates.tests.conftest import make_record
from gongyi.core.fonts import find_font
from gongyi.projects.models import Category
from gongyi.projects.services import point_create, project_create, project_publish, shift_create
from gongyi.sharing.models import ShareLink
from gongyi.snapshots.models import Snapshot
from gongyi.testing.people import PASSWORD, make_org, make_user, make_volunteer

pytestmark = pytest.mark.browser
TITLE = "外滩滨江垃圾分类宣传"
NAME = "欧阳晓明"
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def project_served(district):
    """A published project with a shift next week, its organiser, and a volunteer who has
    already served it once (a ledger record), so may upload photos of it."""
    if not find_font():
        pytest.skip("the Chinese font (fonts-wqy-zenhei) is not installed")
    call_command("load_categories", verbosity=0)
    admin = make_user(display_name="王建国")
    org = make_org(district, admin=admin, name="黄浦区外滩街道志愿者服务中心")
    now = timezone.now()
    project = project_create(
        actor=admin,
        org=org,
        title=TITLE,
        summary="在滨江步道向市民讲解垃圾分类",
        category=Category.objects.get(code="community"),
        district=district,
        recruit_start=now - datetime.timedelta(days=1),
        recruit_end=now + datetime.timedelta(days=20),
        service_start=timezone.localdate(now),
        service_end=timezone.localdate(now) + datetime.timedelta(days=30),
        contact_name="王建国",
        contact_phone="13912345678",
    )
    point = point_create(actor=admin, project=project, name="外滩观景平台", address="中山东一路")
    starts = (now + datetime.timedelta(days=2)).replace(hour=1, minute=0, second=0, microsecond=0)
    shift_create(
        actor=admin,
        project=project,
        point=point,
        starts_at=starts,  # 09:00 in Shanghai
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=20,
    )
    project_publish(actor=admin, project=project)
    volunteer = make_volunteer(real_name=NAME)
    make_record(volunteer, project, minutes=180, served_on=timezone.localdate(now))
    return admin, volunteer, project


def photo_with_gps(path) -> str:
    """A JPEG as a phone saves it: with the place it was taken in its EXIF."""
    image = Image.new("RGB", (640, 480), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 14.0, 24.0), 3: "E", 4: (121.0, 29.0, 2.0)})
    image.save(path, format="JPEG", exif=exif)
    return str(path)


def test_calendar_snapshot_share_and_growth(live_server, new_context, project_served, tmp_path):
    admin, volunteer, project = project_served
    base = live_server.url
    phone = new_context().new_page()
    organiser = new_context().new_page()
    visitor = new_context().new_page()

    # 1. A visitor opens the project calendar: the shift is on it, at 09:00 Shanghai time.
    visitor.goto(f"{base}/calendar/")
    entry = visitor.locator("a", has_text=TITLE).first
    entry.wait_for()
    assert "09:00" in visitor.content()
    snap(visitor, "40-visitor-project-calendar")

    # 2. The volunteer gets the private feed of their calendar: a subscribe link is shown.
    log_in(phone, base, volunteer.user.phone, PASSWORD)
    phone.goto(f"{base}/calendar/feed/")
    phone.get_by_role("button", name="获取我的订阅地址").click()
    phone.wait_for_load_state()
    subscribe = phone.get_by_role("link", name="订阅")
    assert subscribe.get_attribute("href").startswith("webcal://")
    assert ".ics" in subscribe.get_attribute("href")
    snap(phone, "41-volunteer-calendar-subscribe-link")

    # 3. The volunteer uploads a photo of the project; the organiser approves it.
    phone.goto(f"{base}/snapshots/project/{project.number}/add/")
    phone.locator("input[type=file]").set_input_files(photo_with_gps(tmp_path / "photo.jpg"))
    caption = phone.locator("[data-caption-rows] input").first  # one field per photo (JS)
    caption.fill("滨江步道上的宣传台")
    snap(phone, "42-volunteer-uploads-a-snapshot")
    phone.get_by_role("button", name="上传").click()
    phone.wait_for_load_state()
    snapshot = Snapshot.objects.get(project=project)
    assert snapshot.status == Snapshot.Status.PENDING
    assert snapshot.caption == "滨江步道上的宣传台"

    log_in(organiser, base, admin.phone, PASSWORD)
    organiser.goto(f"{base}/snapshots/project/{project.number}/")
    organiser.get_by_role("button", name="通过").first.click()
    organiser.wait_for_load_state()
    snapshot.refresh_from_db()
    assert snapshot.status == Snapshot.Status.APPROVED
    visitor.goto(f"{base}/snapshots/{snapshot.key}/")
    image = visitor.request.get(f"{base}/snapshots/{snapshot.key}/image.jpg")
    assert image.ok and b"PhoneMaker" not in image.body()
    assert not Image.open(io.BytesIO(image.body())).getexif()  # no EXIF, so no GPS
    snap(visitor, "43-visitor-sees-the-approved-snapshot")

    # 4. A visitor shares the project: a short link, which opens the project; and its poster.
    visitor.goto(f"{base}/projects/{project.number}/")
    assert visitor.locator("meta[property='og:title']").get_attribute("content") == TITLE
    visitor.get_by_role("button", name="生成分享短链接").click()
    short = visitor.locator("#share-url")
    visitor.wait_for_function("() => document.querySelector('#share-url').value.includes('/s/')")
    short_url = short.input_value()
    snap(visitor, "44-visitor-shares-the-project")
    poster = visitor.request.get(f"{base}/s/poster/project/{project.number}.png")
    assert poster.ok and poster.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(poster.body())).size == (750, 1000)

    # A friend's phone (headless Chromium names itself "HeadlessChrome", which the counter
    # skips as a preview fetcher, so the friend's browser says what a phone's would).
    friend = new_context(user_agent=PHONE_AGENT).new_page()
    friend.goto(short_url)
    friend.wait_for_url(f"**/projects/{project.number}/**")
    link = ShareLink.objects.get(kind="project", key=project.number)
    assert (link.shares, link.visits) == (1, 1)
    snap(friend, "45-friend-opens-the-short-link")

    # 5. The volunteer sees their growth and makes their identity card public.
    phone.goto(f"{base}/growth/")
    assert phone.get_by_text("3.0").first.is_visible()
    snap(phone, "46-volunteer-my-growth")
    phone.goto(f"{base}/growth/card/")
    phone.locator("input[name=is_public]").check()
    phone.locator("form.card-form button[type=submit]").click()
    phone.wait_for_load_state()
    visitor.goto(f"{base}/growth/card/{volunteer.number}/")
    assert visitor.get_by_text("欧***").first.is_visible()
    assert NAME not in visitor.content()
    snap(visitor, "47-visitor-sees-the-identity-card")
