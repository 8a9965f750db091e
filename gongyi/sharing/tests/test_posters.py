"""Posters: a 750×1000 PNG in Chinese, every character drawable, cached, none for drafts."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from gongyi.core import fonts, images
from gongyi.core.clock import LOCAL_TZ
from gongyi.projects.models import Project, ServicePoint
from gongyi.sharing import posters, project_kind
from gongyi.sharing.models import ShareLink
from gongyi.sharing.posters import PosterContent
from gongyi.sharing.tests.conftest import make_project, make_shift

pytestmark = pytest.mark.django_db


def poster_url(project) -> str:
    return reverse("sharing:project_poster", args=[project.number])


def png_of(response) -> Image.Image:
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """Every text the poster draws, as Pillow is asked to draw it."""
    texts: list[str] = []
    real_text = ImageDraw.ImageDraw.text

    def recording(self, xy, text, *args, **kwargs):
        texts.append(text)
        return real_text(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", recording)
    return texts


def test_the_poster_is_a_phone_sized_png_with_every_glyph(client, project, drawn, cjk_font):
    local_start = datetime.datetime(2031, 5, 3, 9, 0, tzinfo=LOCAL_TZ)  # a Saturday
    point = ServicePoint.objects.create(
        project=project, name="社区文化活动中心", address="南京东路100号"
    )
    make_shift(project, start=local_start, hours=3, point=point)
    project.title = "长者数字生活🎉智能手机培训"  # an emoji the font cannot draw
    project.save(update_fields=["title"])
    image = png_of(client.get(poster_url(project)))
    assert image.size == images.PHONE_SIZE == (750, 1000) and image.mode == "RGB"
    text = "".join(drawn)  # a value may wrap onto two lines
    for line in drawn:
        assert not fonts.missing_glyphs(line, cjk_font), line
    assert "🎉" not in text and "长者数字生活智能手机培训" in text
    assert "2031年5月3日 星期六 09:00–12:00" in text
    assert "黄浦区 社区文化活动中心（南京东路100号）" in text
    assert project.organisation.name in text
    assert "时间" in text and "地点" in text and "组织方" in text  # Chinese labels
    link = ShareLink.objects.get()
    assert f"testserver/s/{link.code}" in text  # the QR's address, printed under the caption
    assert link.shares == 0  # drawing the poster made the link, it counted nothing


def test_a_long_title_is_cut_with_an_ellipsis_and_still_drawable(org, drawn, cjk_font):
    project = make_project(org, title="关爱独居老人上门探访" * 10)
    posters.render_png(project_kind.poster_content(project, "https://gongyi.example/s/ABCDEFG"))
    title_lines = [line for line in drawn if "关爱" in line or "探访" in line]
    assert len(title_lines) == 3 and title_lines[-1].endswith("…")
    assert all(not fonts.missing_glyphs(line, cjk_font) for line in drawn)


def test_the_poster_is_in_chinese_whatever_the_page_language(client, project, drawn, cjk_font):
    client.cookies["django_language"] = "en"
    png_of(client.get(poster_url(project), HTTP_ACCEPT_LANGUAGE="en"))
    assert "组织方" in "\n".join(drawn) and "Organiser" not in "\n".join(drawn)


def test_a_repeat_is_a_cache_hit_and_a_change_draws_again(client, project, monkeypatch, cjk_font):
    drawings = []
    real_render = posters.render_png
    monkeypatch.setattr(posters, "render_png", lambda c: drawings.append(c) or real_render(c))
    first = client.get(poster_url(project))
    second = client.get(poster_url(project))
    assert first.content == second.content and len(drawings) == 1
    assert first["ETag"] == second["ETag"]
    again = client.get(poster_url(project), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and len(drawings) == 1
    Project.objects.filter(pk=project.pk).update(title="社区垃圾分类宣传")
    changed = client.get(poster_url(project))
    assert changed.content != first.content and changed["ETag"] != first["ETag"]
    assert len(drawings) == 2 and drawings[-1].title == "社区垃圾分类宣传"


@pytest.mark.parametrize("fixture", ["draft", "cancelled"])
def test_drafts_and_cancelled_projects_have_no_poster(client, request, fixture, org_admin):
    project = request.getfixturevalue(fixture)
    assert client.get(poster_url(project)).status_code == 404
    client.force_login(org_admin)  # not even for its organiser: it cannot be shared yet
    assert client.get(poster_url(project)).status_code == 404
    assert not ShareLink.objects.exists()


def test_junk_numbers_have_no_poster(client, db):
    for number in ("P310101999999999999", "nope", "P" + "1" * 40):
        assert client.get(f"/s/poster/project/{number}.png").status_code == 404


def test_a_concluded_project_has_a_poster_with_its_service_period(client, closed, drawn, cjk_font):
    png_of(client.get(poster_url(closed)))
    start, end = closed.service_start, closed.service_end
    until = (
        f"{end.month}月{end.day}日"
        if end.year == start.year
        else f"{end.year}年{end.month}月{end.day}日"
    )
    assert f"{start.year}年{start.month}月{start.day}日 – {until}" in "".join(drawn)


def test_without_the_font_the_poster_is_a_clear_503(client, project, monkeypatch):
    monkeypatch.setattr(fonts, "find_font", lambda: None)
    images.font.cache_clear()
    try:
        response = client.get(poster_url(project))
    finally:
        images.font.cache_clear()
    assert response.status_code == 503
    assert "字体" in response.content.decode()  # 服务器未安装中文字体


# --- the texts ------------------------------------------------------------------------------


def test_time_is_the_next_shift_in_shanghai_time(project):
    utc_start = datetime.datetime(2031, 5, 3, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai
    shift = make_shift(project, start=utc_start, hours=2)
    assert project_kind.time_text(project, shift) == "2031年5月3日 星期六 09:30–11:30"


def test_a_shift_past_midnight_names_both_days(project):
    start = datetime.datetime(2031, 5, 3, 22, 0, tzinfo=LOCAL_TZ)
    shift = make_shift(project, start=start, hours=4)
    assert project_kind.time_text(project, shift) == "2031年5月3日 星期六 22:00–5月4日 02:00"


def test_the_poster_takes_the_next_shift_not_a_past_one(project, drawn, cjk_font):
    make_shift(project, start=timezone.now() - datetime.timedelta(days=3))
    soon = make_shift(project, start=timezone.now() + datetime.timedelta(days=2))
    content = project_kind.poster_content(project, "https://gongyi.example/s/ABCDEFG")
    assert content.lines[0][1] == project_kind.time_text(project, soon)
    assert content.lines[1][1].endswith(soon.point.name + "（南京东路1号）")


def test_place_online_and_without_points(org):
    online = make_project(org, mode=Project.Mode.ONLINE)
    assert project_kind.place_text(online, None) == "线上"
    onsite = make_project(org)
    assert project_kind.place_text(onsite, None) == "黄浦区"
    content = project_kind.poster_content(onsite, "https://gongyi.example/s/ABCDEFG")
    assert content.lines[0][0] == "时间" and content.lines[1][1] == "黄浦区"


def test_any_kind_can_draw_a_poster(drawn, cjk_font):
    """The identity card or a snapshot builds its own content; the drawing is shared."""
    content = PosterContent(
        title="袁*的志愿者名片",
        lines=(("志愿者编号", "V0000000001"), ("服务时长", "128.5 小时"), ("星级", "★★★")),
        url="https://gongyi.example/s/ABCDEFG",
    )
    body, digest = posters.poster_png(content)
    assert Image.open(io.BytesIO(body)).size == (750, 1000)
    assert posters.poster_png(content) == (body, digest)
    assert "V0000000001" in drawn and "扫码查看详情" in "".join(drawn)
    assert all(not fonts.missing_glyphs(line, cjk_font) for line in drawn)
