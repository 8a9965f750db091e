"""The public pages: a city, a district, a project, an organisation; the one-line figure on
the project and organisation pages; the exports (CSV and XLSX)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongyi.projects.models import Project
from gongyi.testing.people import make_org

pytestmark = pytest.mark.django_db


def test_city_page_shows_totals_breakdown_method_and_table(client, city, district, table, worked):
    response = client.get(reverse("value:region"), {"region": city.code, "year": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "127.50" in page and "67.50" in page and "60.00" in page
    assert "护士" in page and "社区和社会服务人员" in page
    assert table.source in page
    assert "ILO" in page or "国际劳工组织" in page
    assert district.name in page  # the by-district table
    assert response.context["valuation"].value == Decimal("127.50")


def test_page_defaults_to_the_first_city(client, city, district, table, worked):
    response = client.get(reverse("value:region"))
    assert response.status_code == 200
    assert response.context["region"] == city


def test_district_page(client, city, district, other_district, table, worked):
    response = client.get(reverse("value:region"), {"region": district.code})
    assert response.status_code == 200
    assert response.context["region"] == district
    assert response.context["districts"] is None
    assert response.context["valuation"].value == Decimal("127.50")
    empty = client.get(reverse("value:region"), {"region": other_district.code})
    assert empty.context["valuation"].value == Decimal("0.00")


def test_page_defaults_to_the_sites_district(client, city, district, table, worked):
    from gongyi.sites.models import Site

    Site.objects.create(district=district, name="黄浦公益", slug="huangpu")
    response = client.get("/d/huangpu" + reverse("value:region"))
    assert response.status_code == 200
    assert response.context["region"] == district
    chosen = client.get("/d/huangpu" + reverse("value:region"), {"region": city.code})
    assert chosen.context["region"] == city


def test_year_limits_the_breakdown(client, city, district, table, worked):
    response = client.get(reverse("value:region"), {"region": city.code, "year": 2025})
    assert response.status_code == 200
    assert response.context["shown"].rows == []
    assert response.context["valuation"].value == Decimal("127.50")


def test_page_without_a_table_says_so(client, city, district, worked):
    response = client.get(reverse("value:region"), {"region": city.code})
    assert response.status_code == 200
    assert response.context["valuation"].value is None
    assert "no wage table yet" in response.content.decode() or "尚无工资价位表" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "query",
    [
        {"region": "nowhere"},
        {"region": "310101002"},
        {"year": "abc"},
        {"year": "1899"},
        {"region": "\x00"},
    ],
)
def test_bad_input_is_a_clear_400(client, city, district, street, query):
    response = client.get(reverse("value:region"), query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_english_page(client, city, district, table, worked):
    response = client.get(reverse("value:region"), {"region": city.code}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Economic value" in response.content.decode()


def test_project_and_org_pages(client, org, clinic, table, worked):
    response = client.get(reverse("value:project", args=[clinic.number]))
    assert response.status_code == 200
    assert response.context["valuation"].value == Decimal("67.50")
    response = client.get(reverse("value:org", args=[org.pk]))
    assert response.status_code == 200
    assert response.context["valuation"].value == Decimal("127.50")
    assert "社区义诊" in response.content.decode()


def test_draft_project_and_unverified_org_are_not_found(client, outsider, district, org, clinic):
    Project.objects.filter(pk=clinic.pk).update(status=Project.Status.DRAFT)
    pending = make_org(district, status="pending")
    client.force_login(outsider)
    assert client.get(reverse("value:project", args=[clinic.number])).status_code == 404
    assert client.get(reverse("value:project", args=["P-junk"])).status_code == 404
    assert client.get(reverse("value:org", args=[pending.pk])).status_code == 404
    assert client.get(reverse("value:org", args=[2**63])).status_code == 404
    assert client.get(reverse("value:org", args=[999999])).status_code == 404


def test_a_cancelled_project_counts_for_its_org_without_its_title(
    client, org, elders, table, worked
):
    Project.objects.filter(pk=elders.pk).update(status=Project.Status.CANCELLED)
    response = client.get(reverse("value:org", args=[org.pk]))
    assert response.context["valuation"].value == Decimal("127.50")
    assert "社区助老" not in response.content.decode()


def test_one_line_figure_on_the_project_and_org_pages(client, org, clinic, table, worked):
    page = client.get(reverse("projects:detail", args=[clinic.number])).content.decode()
    assert "67.50" in page and reverse("value:project", args=[clinic.number]) in page
    page = client.get(reverse("orgs:detail", args=[org.pk])).content.decode()
    assert "127.50" in page and reverse("value:org", args=[org.pk]) in page


def test_no_line_without_hours(client, org, clinic, table):
    page = client.get(reverse("projects:detail", args=[clinic.number])).content.decode()
    assert reverse("value:project", args=[clinic.number]) not in page


# --- exports ------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[tuple]:
    assert "spreadsheetml" in response["Content-Type"]
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_region_exports_open(client, city, district, table, worked):
    url = reverse("value:region_export", args=["csv"])
    rows = _csv(client.get(url, {"region": city.code}))
    assert len(rows) == 1 + 2 + 1  # header, two rows, total
    assert ["2026", "上海市", "卫生健康", "护士", "45.00", "1.50", "67.50"] in [r[:7] for r in rows]
    assert rows[-1][6] == "127.50"
    sheet = _xlsx(client.get(reverse("value:region_export", args=["xlsx"]), {"region": city.code}))
    health = next(row for row in sheet if row[2] == "卫生健康")
    assert Decimal(str(health[6])) == Decimal("67.50")
    districts = _csv(client.get(url, {"region": city.code, "table": "districts"}))
    assert [district.name, "3.50", "127.50"] in districts
    sheet = _xlsx(
        client.get(
            reverse("value:region_export", args=["xlsx"]),
            {"region": city.code, "table": "districts"},
        )
    )
    assert sheet[1][0] == district.name


def test_project_and_org_exports_open(client, org, clinic, table, worked):
    rows = _csv(client.get(reverse("value:project_export", args=[clinic.number, "csv"])))
    assert rows[1][6] == "67.50" and rows[-1][6] == "67.50"
    assert _xlsx(client.get(reverse("value:project_export", args=[clinic.number, "xlsx"])))
    rows = _csv(client.get(reverse("value:org_export", args=[org.pk, "csv"])))
    assert rows[-1][6] == "127.50"
    projects = _csv(
        client.get(reverse("value:org_export", args=[org.pk, "csv"]), {"table": "projects"})
    )
    assert any("社区义诊" in row[0] for row in projects)
    assert _xlsx(
        client.get(reverse("value:org_export", args=[org.pk, "xlsx"]), {"table": "projects"})
    )


def test_export_bad_format_or_region_is_not_found(client, city, district, org, clinic):
    assert (
        client.get(reverse("value:region_export", args=["pdf"]), {"region": city.code}).status_code
        == 404
    )
    assert (
        client.get(reverse("value:region_export", args=["csv"]), {"region": "nowhere"}).status_code
        == 404
    )
    assert (
        client.get(
            reverse("value:region_export", args=["csv"]),
            {"region": district.code, "table": "districts"},
        ).status_code
        == 404
    )
    assert client.get(reverse("value:org_export", args=[org.pk, "doc"])).status_code == 404


def test_a_formula_in_a_name_is_defused(client, city, district, health, server, table):
    from gongyi.value.tests.conftest import append, make_project

    org = make_org(district, name="=HYPERLINK(1)")
    append(server, make_project(org, category=health), minutes=60)
    rows = _csv(client.get(reverse("value:org_export", args=[org.pk, "csv"])))
    assert rows[1][1] == "上海市"
    from gongyi.core.exports import as_csv

    assert as_csv([["=1+1", "@x", "ok"]]).decode("utf-8-sig").strip() == "'=1+1,'@x,ok"
