"""How much the value reads read: a city's tables once for the city and its districts, every
district's hours in one read, the region picker in one query."""

from collections import Counter
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongyi.regions.models import Region
from gongyi.regions.selectors import region_by_code
from gongyi.testing.people import make_org, make_volunteer
from gongyi.value import selectors
from gongyi.value.tests.conftest import DAY, append, make_district, make_project

pytestmark = pytest.mark.django_db


def test_district_values_read_every_districts_hours_at_once(
    city, district, other_district, health, table, worked
):
    third = make_district(city, "静安区")  # no hours
    append(make_volunteer(), make_project(make_org(other_district)), minutes=30, day=DAY)
    wages = selectors.Wages()
    city_value = selectors.region_value(city, wages=wages)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.district_values(city, wages=wages)
    assert len(queries) == 2  # the districts and their hours: the tables were read already
    assert [d for d, _v in found] == [district, other_district, third]
    for region, valuation in found:  # the same as valued one by one
        assert valuation.rows == selectors.region_value(region).rows
    assert city_value.minute_cents == sum(v.minute_cents for _d, v in found)


def test_value_regions_is_one_query(city, district, other_district, django_assert_num_queries):
    chengdu = Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)
    jinjiang = Region.objects.create(
        code="510104", name="锦江区", level=Region.Level.DISTRICT, parent=chengdu, city=chengdu
    )
    with django_assert_num_queries(1):
        found = selectors.value_regions()
    assert found == [city, district, other_district, chengdu, jinjiang]


def test_region_by_code_keeps_to_the_levels_asked_for(city, district):
    assert region_by_code(city.code) == city  # any level by default
    assert region_by_code(city.code, levels=(Region.Level.CITY,)) == city
    assert region_by_code(city.code, levels=(Region.Level.DISTRICT,)) is None
    assert selectors.city_by_code(city.code) == city


def test_the_city_page_reads_the_citys_tables_once(client, city, district, table, worked):
    calls = Counter()
    real = selectors.city_tables

    def counted(found_city):
        calls[found_city.pk] += 1
        return real(found_city)

    with mock.patch.object(selectors, "city_tables", counted):
        response = client.get(reverse("value:region"), {"region": city.code})
        assert response.status_code == 200
        api = client.get("/api/v1/value", {"region": city.code})
        assert api.status_code == 200
    assert calls == {city.pk: 2}  # once for the page, once for the API answer


def test_this_year_is_the_local_year():
    new_year_in_shanghai = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=new_year_in_shanghai):
        assert selectors.this_year() == 2026
