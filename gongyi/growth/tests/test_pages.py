"""The pages: my growth, and the city admin's settings page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongyi.core.audit import AuditEntry
from gongyi.growth import selectors
from gongyi.growth.models import GrowthSettings, GrowthSummary
from gongyi.growth.tests.conftest import append, committed

pytestmark = pytest.mark.django_db


# --- my growth ------------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in(client):
    for name in ("growth:mine", "growth:settings", "growth:card_settings", "growth:card_preview"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_a_plain_account_is_asked_to_register(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("growth:mine"))
    assert response.status_code == 200
    assert reverse("accounts:register_volunteer") in response.content.decode()


def test_my_growth_shows_figures_progress_badges_and_timeline(client, rules_ready, alice, projects):
    for i, project in enumerate(projects[:5]):
        append(alice, project, minutes=30 * 60, day=date(2026, 1, i + 1))
    client.force_login(alice.user)
    response = client.get(reverse("growth:mine"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "★★☆☆☆" not in page and "★☆☆☆☆" in page  # 150 h: one star
    assert "150.0" in page or "150" in page
    assert 'id="star-progress" max="100" value="25"' in page  # 50 of 200 h towards 300
    assert "足迹五区" in page and "2026-01-05" in page  # the badge and its day
    assert "徐汇区" in page  # explained: the districts it counted
    assert "首次志愿服务" in page or "First volunteer service" in page
    assert "达到1星" in page or "Reached 1 star" in page


def test_my_growth_in_english(client, rules_ready, alice, project):
    append(alice, project, minutes=60)
    client.force_login(alice.user)
    response = client.get(reverse("growth:mine"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "My growth" in page and "First volunteer service" in page and "Newcomer" in page


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_my_growth_reads_a_fixed_number_of_times(
    client, rules_ready, alice, projects, django_assert_max_num_queries
):
    """The page costs the same few queries for 3 records as for 30 (no N+1)."""
    client.force_login(alice.user)
    url = reverse("growth:mine")
    for i in range(3):
        append(alice, projects[i], minutes=120, day=date(2025, 1, 1 + i))
    few = queries_of(client, url)
    for i in range(27):
        append(alice, projects[i % 6], minutes=120, day=date(2025, 2 + i % 11, 1 + i // 11))
    with django_assert_max_num_queries(few):
        response = client.get(url)
    timeline = selectors.my_growth(alice).timeline
    assert len(timeline) > 10
    assert response.content.decode().count('class="event ') == len(timeline)


def test_the_page_equals_the_stored_summary(client, rules_ready, alice, project):
    append(alice, project, minutes=600)
    mine = selectors.my_growth(alice)
    stored = GrowthSummary.objects.get(volunteer=alice)
    assert (mine.growth.points, mine.growth.minutes) == (stored.points, stored.minutes)


# --- the city's settings --------------------------------------------------------------------------


def form_data(**changes) -> dict:
    data = {
        "star_1": 100,
        "star_2": 300,
        "star_3": 600,
        "star_4": 1000,
        "star_5": 1500,
        "points_per_hour": 10,
        "points_first_service": 50,
        "points_training": 20,
        "points_streak": 30,
        "points_new_district": 20,
        "streak_months": 3,
        "levels": "0 | 志愿新人 | Newcomer\n500 | 志愿先锋 | Pioneer",
        "training_categories": [],
        "elderly_group": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["outsider", "volunteer", "district_admin", "org_admin"])
def test_only_the_city_admin_opens_the_settings(client, rules_ready, who, request):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert client.get(reverse("growth:settings")).status_code == 403
    assert client.post(reverse("growth:settings"), form_data()).status_code == 403
    assert GrowthSettings.objects.get().version == 1


def test_the_city_admin_changes_the_rules(
    client, city_admin, rules_ready, alice, project, training_category, elderly
):
    append(alice, project, minutes=50 * 60)
    client.force_login(city_admin)
    page = client.get(reverse("growth:settings"))
    assert page.status_code == 200 and "志愿新星" in page.content.decode()
    data = form_data(
        star_1=10,
        star_2=20,
        star_3=30,
        star_4=40,
        star_5=50,
        training_categories=[training_category.pk],
        elderly_group=elderly.pk,
    )
    response = client.post(reverse("growth:settings"), data)
    assert response.status_code == 302
    current = GrowthSettings.objects.get()
    assert current.star_hours == [10, 20, 30, 40, 50] and current.version == 2
    assert [lv["name"] for lv in current.levels] == ["志愿新人", "志愿先锋"]
    assert list(current.training_categories.all()) == [training_category]
    assert current.elderly_group == elderly and current.updated_by == city_admin
    assert AuditEntry.objects.filter(action="growth.settings_changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"star_3": 300}, "strictly increasing"),
        ({"star_2": 50}, "strictly increasing"),
        ({"star_1": 5}, ""),
        ({"levels": "100 | 志愿新人"}, "0"),
        ({"levels": "0 | 志愿新人\n0 | 志愿先锋"}, "strictly increasing"),
        ({"levels": "0 志愿新人"}, "Line 1"),
        ({"streak_months": 1}, ""),
        ({"points_per_hour": -1}, ""),
        ({"elderly_group": 999999}, ""),
    ],
)
def test_bad_settings_get_a_clear_error_and_change_nothing(
    client, city_admin, rules_ready, changes, message
):
    client.force_login(city_admin)
    response = client.post(
        reverse("growth:settings"), form_data(**changes), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert message in response.content.decode()
    current = GrowthSettings.objects.get()
    assert current.star_hours == [100, 300, 600, 1000, 1500] and current.version == 1


def test_the_threshold_error_is_in_chinese_by_default(client, city_admin, rules_ready):
    client.force_login(city_admin)
    response = client.post(reverse("growth:settings"), form_data(star_3=300))
    assert "严格递增" in response.content.decode()


def test_the_page_says_how_many_wait_to_be_re_derived(
    client, city_admin, rules_ready, alice, project, settings
):
    append(alice, project, minutes=60)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # not run
    client.force_login(city_admin)
    with committed():
        client.post(reverse("growth:settings"), form_data(star_1=50))
    page = client.get(reverse("growth:settings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 volunteer is still waiting" in page
