"""The dashboard API: public figures of a city or a district, and an admin's recompute."""

from gongyi.dashboard import selectors

API = "/api/v1/dashboard"


def test_figures_of_a_city_are_public(client, town):
    response = client.get(API, {"region": town.city.code})
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "31", "name": "上海市", "level": 1, "city_code": "31"}
    assert body["volunteers"] == {"total": 6, "this_year": 6, "without_district": 2}
    assert body["active_volunteers"] == 3
    assert body["hours"]["total_minutes"] == 285 and body["hours"]["total"] == 4.8
    assert body["signups"] == {"this_year": 3, "total": 4}
    assert body["projects"] == {"this_year": 2, "total": 3}
    assert [d["code"] for d in body["districts"]] == [town.east.code, town.west.code]
    assert len(body["months"]) == 12 and len(body["traffic"]["days"]) == 30
    assert body["value"] is None


def test_figures_of_a_district(client, town):
    body = client.get(API, {"region": town.west.code}).json()
    assert body["hours"]["total_minutes"] == 75 and body["districts"] == []
    assert body["volunteers"]["total"] == 1


def test_unknown_region_is_a_json_404(client, town):
    for code in ("999999", "310101002"):
        response = client.get(API, {"region": code})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_missing_or_bad_region_is_a_422(client, town):
    assert client.get(API).status_code == 422
    assert client.get(API, {"region": "3" * 40}).status_code == 422


def test_refresh_by_the_city_admin(client, town, city_admin):
    client.force_login(city_admin)
    response = client.post(
        f"{API}/refresh", {"region": town.east.code}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["hours"]["total_minutes"] == 210
    assert selectors.stored(town.east) is not None


def test_refresh_refused_to_the_outsider(client, town, outsider, other_district_admin):
    response = client.post(f"{API}/refresh", {"region": "31"}, content_type="application/json")
    assert response.status_code == 401
    for user in (outsider, other_district_admin):
        client.force_login(user)
        response = client.post(
            f"{API}/refresh", {"region": town.east.code}, content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    assert selectors.stored(town.east) is None


def test_refresh_of_an_unknown_region(client, town, city_admin):
    client.force_login(city_admin)
    response = client.post(f"{API}/refresh", {"region": "nowhere"}, content_type="application/json")
    assert response.status_code == 404
