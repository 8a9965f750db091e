"""The public regions API under /api/v1/regions: read-only, 404 JSON for unknown codes."""

import pytest

BASE = "/api/v1/regions"


def test_cities_for_an_anonymous_visitor(client, city, district):
    body = client.get(f"{BASE}/cities").json()
    assert body == [
        {
            "code": "31",
            "name": "上海市",
            "level": 1,
            "level_name": "市",
            "parent": None,
            "city": "31",
            "is_functional_zone": False,
            "full_name": "上海市",
        }
    ]


def test_one_region_and_its_children(client, district, street, community):
    body = client.get(f"{BASE}/310101002").json()
    assert body["parent"] == "310101" and body["city"] == "31"
    assert body["full_name"] == "上海市黄浦区南京东路街道"
    assert body["level"] == 3 and body["level_name"] == "街道"
    children = client.get(f"{BASE}/{district.code}/children").json()
    assert [c["code"] for c in children] == ["310101002"]
    assert children[0]["full_name"] == "上海市黄浦区南京东路街道"
    assert children[0]["city"] == "31" and children[0]["parent"] == "310101"
    assert client.get(f"{BASE}/{community.code}/children").json() == []


def test_english_labels(client, district):
    body = client.get(f"{BASE}/{district.code}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["level_name"] == "District"


@pytest.mark.parametrize(
    "path",
    ["/nope", "/nope/children", "/" + "9" * 300, "/%20/children", "/31%00", "/31%00/children"],
)
def test_unknown_codes_are_404_json(client, city, path):
    response = client.get(BASE + path)
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到。"}
    response = client.get(BASE + path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["message"] == "Not found."


@pytest.mark.parametrize("person", ["anonymous", "outsider", "other_district_admin"])
def test_nobody_writes_through_the_api(client, request, district, person):
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    for path in ["/cities", f"/{district.code}", f"/{district.code}/children"]:
        assert client.post(BASE + path, {}, content_type="application/json").status_code == 405
        assert client.delete(BASE + path).status_code == 405
