"""Traffic in the admin: read-only, in Chinese, closed to everybody but staff."""

import pytest
from django.urls import reverse
from django.utils import translation

from gongyi.testing.people import make_user
from gongyi.traffic import selectors, services
from gongyi.traffic.selectors import local_today
from gongyi.traffic.tests.conftest import at

MODELS = ["trafficday", "trafficminute", "trafficvisitor"]


@pytest.fixture
def superuser(db):
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def some_traffic(db):
    today = local_today()
    services.record_visits(minutes={at(today, 0, 1): (3, {"a", "b"})})
    services.rollup(day=today)


@pytest.mark.parametrize("model", MODELS)
def test_superuser_reads_traffic_in_chinese_and_cannot_change_it(
    client, superuser, some_traffic, model
):
    client.force_login(superuser)
    page = client.get(reverse(f"admin:traffic_{model}_changelist"))
    assert page.status_code == 200
    assert "平台访问量" in page.content.decode()
    assert client.get(reverse(f"admin:traffic_{model}_add")).status_code == 403


def test_a_rolled_up_day_opens_read_only(client, superuser, some_traffic):
    client.force_login(superuser)
    row = services.rollup(day=local_today())
    page = client.get(reverse("admin:traffic_trafficday_change", args=[row.pk]))
    assert page.status_code == 200 and "同时在线访客峰值" in page.content.decode()
    response = client.post(reverse("admin:traffic_trafficday_change", args=[row.pk]), {"visits": 1})
    assert response.status_code == 403


@pytest.mark.parametrize("person", ["outsider", "city_admin"])
def test_others_are_refused(client, request, person, model="trafficday"):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse(f"admin:traffic_{model}_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_definitions_read_in_both_languages():
    with translation.override("zh-hans"):
        assert str(selectors.DEFINITIONS[1][0]) == "同时在线访客"
    with translation.override("en"):
        assert str(selectors.DEFINITIONS[1][0]) == "Concurrent visitors"
