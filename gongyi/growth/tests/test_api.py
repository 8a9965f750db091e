"""The API under /api/v1/growth: the same rules as the pages, every refusal documented."""

import io
from datetime import date

import pytest
from PIL import Image

from gongyi.api import api
from gongyi.growth import services
from gongyi.growth.models import CardSettings, GrowthSettings
from gongyi.growth.tests.conftest import append, bearer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/growth"


def settings_body(**changes) -> dict:
    body = {
        "star_hours": [100, 300, 600, 1000, 1500],
        "points_per_hour": 10,
        "points_first_service": 50,
        "points_training": 20,
        "points_streak": 30,
        "points_new_district": 20,
        "streak_months": 3,
        "levels": [
            {"points": 0, "name": "志愿新人", "name_en": "Newcomer"},
            {"points": 500, "name": "志愿先锋", "name_en": "Pioneer"},
        ],
        "training_category_ids": [],
        "elderly_group_id": None,
    }
    body.update(changes)
    return body


def test_every_operation_is_in_the_schema():
    paths = api.get_openapi_schema()["paths"]
    for path, method in [
        ("/me", "get"),
        ("/badges", "get"),
        ("/settings", "get"),
        ("/settings", "put"),
        ("/card", "get"),
        ("/card", "put"),
        ("/cards/{number}", "get"),
        ("/cards/{number}/image", "get"),
    ]:
        assert method in paths[f"{BASE}{path}"], path


# --- my growth ------------------------------------------------------------------------------------


def test_my_growth(client, rules_ready, alice, projects):
    for i, project in enumerate(projects[:5]):
        append(alice, project, minutes=30 * 60, day=date(2026, 1, i + 1))
    response = client.get(f"{BASE}/me", **bearer(alice.user))
    assert response.status_code == 200
    body = response.json()
    assert body["minutes"] == 150 * 60 and body["hours"] == "150.0" and body["stars"] == 1
    assert body["star_progress"] == {
        "next_stars": 2,
        "hours_needed": 300,
        "hours_left": "150.0",
        "percent": 25,
    }
    earned = {b["code"]: b for b in body["badges"] if b["earned"]}
    assert earned["five_districts"]["awarded_on"] == "2026-01-05"
    assert "徐汇区" in earned["five_districts"]["explanation"]
    kinds = [e["kind"] for e in body["timeline"]]
    assert kinds[-1] == "first_service" and "star" in kinds and "badge" in kinds


def test_my_growth_needs_a_caller_and_a_volunteer(client, outsider):
    assert client.get(f"{BASE}/me").status_code == 401
    response = client.get(f"{BASE}/me", **bearer(outsider))
    assert response.status_code == 400 and response.json()["code"] == "not_volunteer"


def test_badges_are_public(client, rules_ready):
    response = client.get(f"{BASE}/badges")
    assert response.status_code == 200
    codes = [b["code"] for b in response.json()]
    assert "five_districts" in codes and "reliable_year" in codes
    five = next(b for b in response.json() if b["code"] == "five_districts")
    assert five["params"] == {"count": 5}


# --- the city's settings --------------------------------------------------------------------------


def test_the_city_admin_reads_and_changes_the_settings(client, city_admin, rules_ready):
    auth = bearer(city_admin)
    got = client.get(f"{BASE}/settings", **auth)
    assert got.status_code == 200 and got.json()["star_hours"] == [100, 300, 600, 1000, 1500]
    body = settings_body(star_hours=[50, 100, 200, 400, 800])
    response = client.put(f"{BASE}/settings", body, content_type="application/json", **auth)
    assert response.status_code == 200
    assert response.json()["star_hours"] == [50, 100, 200, 400, 800]
    assert response.json()["version"] == 2
    assert GrowthSettings.objects.get().star_hours == [50, 100, 200, 400, 800]


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"star_hours": [100, 300, 300, 1000, 1500]}, 400, "star_hours_not_increasing"),
        ({"star_hours": [100, 300, 600, 1000]}, 400, "bad_star_hours"),
        ({"star_hours": [1, 300, 600, 1000, 1500]}, 400, "bad_star_hours"),
        ({"levels": [{"points": 5, "name": "新人"}]}, 400, "bad_levels"),
        ({"levels": []}, 400, "bad_levels"),
        ({"streak_months": 1}, 400, "bad_streak_months"),
        ({"training_category_ids": [999999]}, 400, "unknown_category"),
        ({"elderly_group_id": 999999}, 400, "unknown_group"),
        ({"points_per_hour": -1}, 422, "invalid"),
        ({"star_hours": "100"}, 422, "invalid"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(
    client, city_admin, rules_ready, changes, status, code
):
    response = client.put(
        f"{BASE}/settings",
        settings_body(**changes),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(city_admin),
    )
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]
    assert GrowthSettings.objects.get().version == 1


def test_the_threshold_error_names_the_field(client, city_admin, rules_ready):
    body = settings_body(star_hours=[100, 90, 600, 1000, 1500])
    response = client.put(
        f"{BASE}/settings", body, content_type="application/json", **bearer(city_admin)
    )
    assert response.json()["field"] == "star_hours"
    assert "严格递增" in response.json()["message"]


@pytest.mark.parametrize("who", ["outsider", "volunteer", "district_admin", "org_admin"])
def test_nobody_else_touches_the_settings(client, rules_ready, who, request):
    person = request.getfixturevalue(who)
    auth = bearer(getattr(person, "user", person))
    assert client.get(f"{BASE}/settings", **auth).status_code == 403
    response = client.put(
        f"{BASE}/settings", settings_body(), content_type="application/json", **auth
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert GrowthSettings.objects.get().version == 1


def test_a_visitor_is_asked_to_log_in(client):
    for method, path in [("get", "/settings"), ("put", "/settings"), ("get", "/card")]:
        response = getattr(client, method)(f"{BASE}{path}", {}, content_type="application/json")
        assert response.status_code == 401


# --- the identity card ----------------------------------------------------------------------------


def test_card_settings_round_trip(client, rules_ready, alice, project):
    append(alice, project)
    auth = bearer(alice.user)
    got = client.get(f"{BASE}/card", **auth)
    assert got.status_code == 200 and got.json()["is_public"] is False
    assert got.json()["card_url"].endswith(f"/growth/card/{alice.number}/")
    put = client.put(f"{BASE}/card", {"is_public": True}, content_type="application/json", **auth)
    assert put.status_code == 200 and put.json()["is_public"] is True
    assert CardSettings.objects.get(volunteer=alice).is_public
    public = client.get(f"{BASE}/cards/{alice.number}")
    assert public.status_code == 200
    body = public.json()
    assert body["masked_name"] == "梁**" and body["number"] == alice.number
    assert body["minutes"] == 120 and body["projects"] == ["黄浦区社区服务"]
    assert "梁小明" not in public.content.decode()
    image = client.get(body["image_url"].removeprefix("http://testserver"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (750, 1000)


def test_bad_card_input_changes_nothing(client, alice):
    auth = bearer(alice.user)
    response = client.put(f"{BASE}/card", {"is_public": "maybe"}, "application/json", **auth)
    assert response.status_code == 422
    assert not CardSettings.objects.filter(volunteer=alice, is_public=True).exists()


def test_a_plain_account_has_no_card_settings(client, outsider):
    response = client.put(
        f"{BASE}/card", {"is_public": True}, content_type="application/json", **bearer(outsider)
    )
    assert response.status_code == 400 and response.json()["code"] == "not_volunteer"


def test_a_private_card_and_an_unknown_number_answer_the_same(client, rules_ready, alice):
    private = client.get(f"{BASE}/cards/{alice.number}")
    unknown = client.get(f"{BASE}/cards/V9999999999")
    assert private.status_code == unknown.status_code == 404
    assert private.json() == unknown.json()
    assert client.get(f"{BASE}/cards/{alice.number}/image").status_code == 404
    too_long = client.get(f"{BASE}/cards/{'V' * 40}")
    assert too_long.status_code == 422


def test_opting_out_hides_the_card_again(client, rules_ready, alice):
    services.set_card_public(volunteer=alice, actor=alice.user, is_public=True)
    assert client.get(f"{BASE}/cards/{alice.number}").status_code == 200
    services.set_card_public(volunteer=alice, actor=alice.user, is_public=False)
    assert client.get(f"{BASE}/cards/{alice.number}").status_code == 404
