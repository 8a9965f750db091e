"""The API: public figures and wage tables; the city admin's POST and PUT, and refusals."""

from decimal import Decimal

import pytest

from gongyi.accounts.models import StaffRole
from gongyi.growth.tests.conftest import bearer
from gongyi.projects.models import Project
from gongyi.regions.models import Region
from gongyi.testing.people import make_org, make_user
from gongyi.value.models import WageTable

pytestmark = pytest.mark.django_db
API = "/api/v1/value"


def test_region_value(client, city, district, table, worked):
    body = client.get(API, {"region": city.code}).json()
    assert body["region"] == {"code": city.code, "name": city.name, "level": 1}
    assert body["all_time"] == {
        "minutes": 210,
        "hours": "3.50",
        "value": "127.50",
        "unvalued_minutes": 0,
    }
    rows = {r["category"]: r for r in body["rows"]}
    assert rows["卫生健康"]["value"] == "67.50" and rows["卫生健康"]["hourly_wage"] == "45.00"
    assert rows["社区服务"]["is_default"] is True and rows["社区服务"]["value"] == "60.00"
    assert body["districts"][0]["code"] == district.code
    assert body["districts"][0]["value"] == "127.50"
    assert body["tables"] == [
        {"city": "31", "year": 2026, "source": table.source, "choice": "exact", "for_years": [2026]}
    ]
    assert "ILO" in body["method"]
    district_body = client.get(API, {"region": district.code, "year": 2026}).json()
    assert district_body["shown"]["value"] == "127.50" and district_body["districts"] is None
    assert client.get(API).json()["region"]["code"] == city.code


def test_region_value_without_a_table(client, city, district, worked):
    body = client.get(API, {"region": city.code}).json()
    assert body["all_time"]["value"] is None
    assert body["all_time"]["unvalued_minutes"] == 210


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"region": "nowhere"}, 404),
        ({"region": "310101002"}, 404),  # a street
        ({"region": "bad code!"}, 422),
        ({"region": "31", "year": "1999"}, 422),
        ({"region": "31", "year": "x"}, 422),
    ],
)
def test_region_value_bad_input(client, city, district, street, query, status):
    response = client.get(API, query)
    assert response.status_code == status
    assert response.json()["code"] in ("not_found", "invalid")


def test_project_and_org_value(client, org, clinic, elders, table, worked):
    body = client.get(f"{API}/projects/{clinic.number}").json()
    assert (body["number"], body["all_time"]["value"]) == (clinic.number, "67.50")
    Project.objects.filter(pk=elders.pk).update(status=Project.Status.CANCELLED)
    body = client.get(f"{API}/orgs/{org.pk}").json()
    assert body["all_time"]["value"] == "127.50"
    assert {(p["number"], p["value"]) for p in body["projects"]} == {
        (clinic.number, "67.50"),
        (None, "60.00"),  # no longer public: counted, not named
    }


def test_project_and_org_not_found(client, district, org, clinic):
    Project.objects.filter(pk=clinic.pk).update(status=Project.Status.DRAFT)
    pending = make_org(district, status="pending")
    assert client.get(f"{API}/projects/{clinic.number}").status_code == 404
    assert client.get(f"{API}/projects/nothing").status_code == 404
    assert client.get(f"{API}/orgs/{pending.pk}").status_code == 404
    assert client.get(f"{API}/orgs/99999").status_code == 404
    assert client.get(f"{API}/orgs/0").status_code == 422


def test_wage_tables_are_public(client, city, table, health):
    body = client.get(f"{API}/wages", {"city": city.code}).json()
    assert [(t["year"], t["default_wage"]) for t in body] == [(2026, "30.00")]
    assert body[0]["rates"] == [
        {
            "category_id": health.pk,
            "category": "卫生健康",
            "occupation": "护士",
            "hourly_wage": "45.00",
        }
    ]
    assert client.get(f"{API}/wages/{city.code}/2026").json()["source"] == table.source
    assert client.get(f"{API}/wages/{city.code}/2025").status_code == 404
    assert client.get(f"{API}/wages", {"city": "310101"}).status_code == 404
    assert client.get(f"{API}/wages/{city.code}/1000").status_code == 422


def _new(where, health, **extra):
    return {
        "city": where.code,
        "year": 2027,
        "source": "上海市人力资源和社会保障局 2027年人力资源市场工资价位",
        "default_occupation": "社区工作者",
        "default_wage": "31.00",
        "rates": [{"category_id": health.pk, "occupation": "护士", "hourly_wage": "47.50"}],
        **extra,
    }


def test_city_admin_creates_and_changes_a_table(client, city, city_admin, table, health):
    response = client.post(
        f"{API}/wages", _new(city, health), content_type="application/json", **bearer(city_admin)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rates"][0]["hourly_wage"] == "47.50"
    change = {"source": "改", "default_occupation": "社区工作者", "default_wage": "32", "rates": []}
    response = client.put(
        f"{API}/wages/{city.code}/2027",
        change,
        content_type="application/json",
        **bearer(city_admin),
    )
    assert response.status_code == 200
    assert response.json()["default_wage"] == "32.00" and response.json()["rates"] == []
    assert WageTable.objects.get(year=2027).rates.count() == 0


def test_outsiders_are_refused(client, city, table, health, outsider, district_admin, volunteer):
    chengdu = Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)
    other_city_admin = make_user()
    StaffRole.objects.create(user=other_city_admin, role=StaffRole.Role.CITY_ADMIN, region=chengdu)
    post = client.post(f"{API}/wages", _new(city, health), content_type="application/json")
    assert post.status_code == 401
    for user in (outsider, district_admin, volunteer.user, other_city_admin):
        response = client.post(
            f"{API}/wages", _new(city, health), content_type="application/json", **bearer(user)
        )
        assert response.status_code == 403
        response = client.put(
            f"{API}/wages/{city.code}/2026",
            {"default_wage": "1", "rates": []},
            content_type="application/json",
            **bearer(user),
        )
        assert response.status_code == 403
    assert WageTable.objects.count() == 1
    assert WageTable.objects.get().default_wage == Decimal("30.00")


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"year": 2026}, 400, "duplicate_year"),
        ({"default_wage": "0"}, 422, "invalid"),
        ({"default_wage": "-3"}, 422, "invalid"),
        ({"default_wage": "1.001"}, 422, "invalid"),
        ({"year": 1900}, 422, "invalid"),
        ({"city": "310101"}, 404, "not_found"),
        (
            {"rates": [{"category_id": 999999, "occupation": "x", "hourly_wage": "3"}]},
            400,
            "category_invalid",
        ),
        ({"rates": [{"category_id": 1, "occupation": "", "hourly_wage": "3"}]}, 422, "invalid"),
        ({"copy_previous": True, "year": 2020}, 400, "nothing_to_copy"),
    ],
)
def test_bad_tables_change_nothing(
    client, city, district, city_admin, table, health, change, status, code
):
    response = client.post(
        f"{API}/wages",
        _new(city, health, **change),
        content_type="application/json",
        **bearer(city_admin),
    )
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert WageTable.objects.count() == 1


def test_a_subcategory_rate_is_refused(client, city, city_admin, table, sub_health):
    rates = [{"category_id": sub_health.pk, "occupation": "急救员", "hourly_wage": "50"}]
    response = client.put(
        f"{API}/wages/{city.code}/2026",
        {"default_wage": "30", "rates": rates},
        content_type="application/json",
        **bearer(city_admin),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "category_not_main"
    assert table.rates.get().occupation == "护士"
    missing = client.put(
        f"{API}/wages/{city.code}/2030",
        {"default_wage": "30", "rates": []},
        content_type="application/json",
        **bearer(city_admin),
    )
    assert missing.status_code == 404
