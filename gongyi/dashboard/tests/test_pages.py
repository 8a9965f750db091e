"""The dashboard pages: the city view, a district, the large-screen mode, the exports, the
admin's "recompute now"; and bad query values that must never end in a 500."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongyi.dashboard import selectors
from gongyi.dashboard.models import DashboardSnapshot

INDEX = reverse("dashboard:index")
SCREEN = reverse("dashboard:screen")
REFRESH = reverse("dashboard:refresh")


def export(table: str, fmt: str) -> str:
    return reverse("dashboard:export", args=[table, fmt])


def test_city_view_by_default(client, town):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert response.context["region"] == town.city
    page = response.content.decode()
    assert "上海市" in page and "黄浦区" in page and "徐汇区" in page
    assert 'id="dashboard-charts"' in page and "echarts-5.6.0/echarts.min.js" in page
    assert "<script>" not in page and 'style="' not in page  # CSP: no inline script or style
    snapshot = DashboardSnapshot.objects.get(region=town.city)
    assert snapshot.computed_at.astimezone(selectors.SHANGHAI).strftime("%Y-%m-%d %H:%M") in page
    for table in ("months", "categories", "districts", "age_gender", "traffic", "figures"):
        assert f"{export(table, 'csv')}?region=31" in page
        assert f"{export(table, 'xlsx')}?region=31" in page
    assert "4.8" in page  # 285 minutes = 4.8 hours, all time
    assert REFRESH not in page  # visitors do not recompute


def test_a_district_view_shows_its_own_figures(client, town):
    response = client.get(INDEX, {"region": town.east.code})
    assert response.status_code == 200
    assert response.context["region"] == town.east
    assert response.context["data"]["hours"]["total_minutes"] == 210
    assert "districts" not in response.context["tables"]


def test_a_district_site_defaults_to_its_district(client, town, monkeypatch):
    from gongyi.dashboard import views

    monkeypatch.setattr(views, "site_district", lambda request: town.west)
    response = client.get(INDEX)
    assert response.context["region"] == town.west
    assert client.get(INDEX, {"region": town.city.code}).context["region"] == town.city


def test_the_site_district_hook_is_the_sites_app():
    from gongyi.dashboard import views
    from gongyi.sites import current

    assert views.site_district is current.site_district


@pytest.mark.parametrize(
    "value", ["nowhere", "99", "", " ", "310101002", "\x00", "3" * 40, "中文", "31;DROP"]
)
def test_bad_region_values_never_500(client, town, value, street):
    for address in (INDEX, SCREEN, export("months", "csv")):
        response = client.get(address, {"region": value})
        assert response.status_code in (200, 404), (address, value)


def test_unknown_region_is_a_404(client, town):
    assert client.get(INDEX, {"region": "999999"}).status_code == 404
    assert client.get(INDEX, {"region": "310101002"}).status_code == 404  # a street


def test_no_city_yet(client, db):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert client.get(SCREEN).status_code == 200


def test_large_screen_mode(client, town):
    response = client.get(SCREEN, {"region": town.city.code})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="60">' in page
    assert 'class="dash-screen"' in page and 'data-chart="districts"' in page
    assert "<script>" not in page and 'style="' not in page


def test_csv_export_has_the_rows(client, town):
    response = client.get(export("districts", "csv"), {"region": town.city.code})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # utf-8-sig: Excel reads the Chinese
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [
        ["区", "今年服务时长（小时）", "累计服务时长（小时）"],
        ["黄浦区", "3.5", "3.5"],
        ["徐汇区", "0.8", "1.2"],
    ]


def test_xlsx_export_has_the_rows(client, town):
    response = client.get(export("age_gender", "xlsx"), {"region": town.east.code})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["年龄", "男", "女", "未知", "合计"]
    assert rows[1] == ["18岁以下", 0, 1, 0, 1]  # c
    assert rows[2] == ["18–35岁", 1, 0, 0, 1]  # a
    assert len(rows) == 7


def test_export_headers_follow_the_language(client, town):
    response = client.get(
        export("months", "csv"), {"region": town.east.code}, HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Service hours", "Signups", "New volunteers"]
    month = town.today.month
    assert rows[month] == [f"{town.today.year}-{month:02d}", "3.5", "2", "3"]


def test_unknown_table_or_format_is_a_404(client, town):
    assert client.get(export("nothing", "csv")).status_code == 404
    assert client.get(export("months", "pdf")).status_code == 404
    # A district has no table of districts.
    assert client.get(export("districts", "csv"), {"region": town.east.code}).status_code == 404


def test_english_page(client, town):
    response = client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en")
    assert "Registered volunteers" in response.content.decode()


# --- recompute now --------------------------------------------------------------------------


def test_city_admin_recomputes_now(client, town, city_admin):
    from gongyi.growth.tests.conftest import append

    client.force_login(city_admin)
    assert REFRESH in client.get(INDEX).content.decode()
    append(town.volunteers["e"], town.projects["p1"], minutes=60, day=town.today)
    response = client.post(REFRESH, {"region": town.city.code})
    assert response.status_code == 302
    assert selectors.stored(town.city).data["hours"]["total_minutes"] == 345


def test_district_admin_recomputes_their_district_only(client, town, district_admin):
    client.force_login(district_admin)
    assert client.post(REFRESH, {"region": town.east.code}).status_code == 302
    assert client.post(REFRESH, {"region": town.west.code}).status_code == 403
    assert client.post(REFRESH, {"region": town.city.code}).status_code == 403


def test_outsider_cannot_recompute(client, town, outsider, volunteer):
    assert client.post(REFRESH, {"region": town.city.code}).status_code == 403  # anonymous
    for user in (outsider, volunteer.user):
        client.force_login(user)
        assert client.post(REFRESH, {"region": town.city.code}).status_code == 403
        assert REFRESH not in client.get(INDEX).content.decode()
    assert not DashboardSnapshot.objects.filter(region=town.east).exists()


def test_refresh_of_an_unknown_region_is_a_404(client, town, city_admin):
    client.force_login(city_admin)
    assert client.post(REFRESH, {"region": "nowhere"}).status_code == 404
    assert client.get(REFRESH).status_code == 405


def test_charts_draw_the_tables_columns(town):
    from gongyi.dashboard import tables

    built = tables.build(selectors.compute(town.city))
    assert {name: t.title for name, t in built.items()} == {
        name: str(tables.TITLES[name]) for name in built
    }
    charts = tables.charts(built)
    assert list(charts) == ["months", "categories", "age_gender", "traffic", "districts"]
    months = built["months"]
    assert charts["months"]["labels"] == [row[0] for row in months.rows]
    assert [s["name"] for s in charts["months"]["series"]] == months.headers[1:4]
    assert charts["categories"]["series"][0]["data"] == [r[2] for r in built["categories"].rows]
    assert charts["traffic"]["labels"][-1] == town.today.isoformat()[5:]  # MM-DD
    assert charts["districts"]["labels"] == [town.east.name, town.west.name]
    assert "districts" not in tables.charts(tables.build(selectors.compute(town.east)))
