"""What is a page view: HTML pages answered 200 to a person's GET; nothing else."""

import pytest
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

from gongyi.sites.tests.conftest import make_site
from gongyi.traffic import buffer
from gongyi.traffic.middleware import TrafficMiddleware
from gongyi.traffic.models import TrafficMinute, TrafficVisitor
from gongyi.traffic.tests.conftest import BROWSER

pytestmark = pytest.mark.django_db


def page_views() -> int:
    buffer.BUFFER.flush()
    return sum(TrafficMinute.objects.values_list("visits", flat=True))


def test_a_page_view_counts_once(client, recording):
    response = client.get("/", headers={"user-agent": BROWSER})
    assert response.status_code == 200
    assert page_views() == 1
    assert TrafficVisitor.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/api/v1/docs", "/api/v1/openapi.json", "/no-such-page/", "/admin/login/"],
)
def test_probes_the_api_the_admin_and_errors_are_not_page_views(client, recording, path):
    client.get(path, headers={"user-agent": BROWSER})
    assert page_views() == 0


def test_a_post_is_not_a_page_view(client, recording):
    client.post("/", headers={"user-agent": BROWSER})
    client.post("/i18n/setlang/", {"language": "en"}, headers={"user-agent": BROWSER})
    assert page_views() == 0


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "TelegramBot (like TwitterBot)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 HeadlessChrome/126.0",
        "curl/8.5.0",
        "python-requests/2.32",
    ],
)
def test_bots_and_preview_fetchers_are_not_visitors(client, recording, agent):
    client.get("/", headers={"user-agent": agent})
    assert page_views() == 0


def test_wechat_in_app_browser_is_a_visitor(client, recording):
    wechat = f"{BROWSER} MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"
    client.get("/", headers={"user-agent": wechat})
    assert page_views() == 1


def test_an_htmx_fragment_is_not_a_page_view_but_a_boosted_page_is(client, recording):
    client.get("/", headers={"user-agent": BROWSER, "hx-request": "true"})
    assert page_views() == 0
    client.get("/", headers={"user-agent": BROWSER, "hx-request": "true", "hx-boosted": "true"})
    assert page_views() == 1


def test_a_district_sites_pages_count_and_its_api_does_not(client, recording, district):
    make_site(district, "huangpu")
    assert client.get("/d/huangpu/api/v1/docs", headers={"user-agent": BROWSER}).status_code == 200
    assert page_views() == 0
    assert client.get("/d/huangpu/", headers={"user-agent": BROWSER}).status_code == 200
    assert page_views() == 1


def through_middleware(method="GET", path="/page/", status=200, content_type="text/html"):
    def view(request):
        if content_type == "application/json":
            return JsonResponse({"ok": True}, status=status)
        return HttpResponse(b"<p>hi</p>", status=status, content_type=content_type)

    request = RequestFactory().generic(method, path, headers={"user-agent": BROWSER})
    TrafficMiddleware(view)(request)
    return page_views()


@pytest.mark.parametrize("path", ["/static/css/site.css", "/media/photos/a.jpg", "/admin/"])
def test_files_and_admin_are_not_page_views_even_as_html(recording, path):
    assert through_middleware(path=path) == 0


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_only_get_and_head_count(recording, method):
    assert through_middleware(method=method) == 0


def test_head_counts_like_get(recording):
    assert through_middleware(method="HEAD") == 1


@pytest.mark.parametrize(
    ("status", "content_type"),
    [(404, "text/html"), (500, "text/html"), (302, "text/html"), (200, "application/json")],
)
def test_only_html_answered_200_counts(recording, status, content_type):
    assert through_middleware(status=status, content_type=content_type) == 0


def test_nothing_is_counted_when_recording_is_off(client, recording, settings):
    settings.TRAFFIC_RECORDING = False
    client.get("/", headers={"user-agent": BROWSER})
    assert page_views() == 0
