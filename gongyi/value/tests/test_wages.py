"""The city admin's wage-table pages: who may use them, creating a year's table (optionally
copying the previous year's rates), editing the default and the rates, and bad input that
changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gongyi.accounts.models import StaffRole
from gongyi.core.models import AuditEntry
from gongyi.regions.models import Region
from gongyi.testing.people import make_user
from gongyi.value.models import WageRate, WageTable
from gongyi.value.tests.conftest import make_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def chengdu(db) -> Region:
    return Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)


@pytest.fixture
def chengdu_admin(chengdu):
    user = make_user(display_name="成都市管理员")
    StaffRole.objects.create(user=user, role=StaffRole.Role.CITY_ADMIN, region=chengdu)
    return user


def _pages(city, year=2026):
    return [
        reverse("value:wages"),
        reverse("value:city_wages", args=[city.code]),
        reverse("value:wage_new", args=[city.code]),
        reverse("value:wage_edit", args=[city.code, year]),
    ]


def test_anonymous_is_sent_to_log_in(client, city, table):
    for url in _pages(city):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "district_admin", "chengdu_admin"])
def test_others_are_refused(client, request, city, table, who, volunteer):
    client.force_login(request.getfixturevalue(who))
    for url in _pages(city)[1:]:
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("value:wage_new", args=[city.code]), {"year": 2027, "default_wage": "30"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("value:wage_edit", args=[city.code, 2026]),
        {
            "default_occupation": "x",
            "default_wage": "1",
            "rates-TOTAL_FORMS": "0",
            "rates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    assert WageTable.objects.count() == 1
    assert WageTable.objects.get().default_wage == Decimal("30.00")


def test_a_volunteer_is_refused(client, city, table, volunteer):
    client.force_login(volunteer.user)
    assert client.get(reverse("value:wages")).status_code == 403
    assert client.get(reverse("value:city_wages", args=[city.code])).status_code == 403


def test_city_admin_sees_their_city(client, city, city_admin, table):
    client.force_login(city_admin)
    response = client.get(reverse("value:wages"))
    assert response.status_code == 302
    assert response["Location"] == reverse("value:city_wages", args=[city.code])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "2026" in page.content.decode()
    assert client.get(reverse("value:city_wages", args=["5101"])).status_code == 404
    assert client.get(reverse("value:wage_edit", args=[city.code, 2020])).status_code == 404
    assert client.get(reverse("value:wage_edit", args=[city.code, 99999])).status_code == 404


def test_create_a_year_copying_the_previous_rates(client, city, city_admin, table, health):
    client.force_login(city_admin)
    url = reverse("value:wage_new", args=[city.code])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["default_wage"] == Decimal("30.00")
    response = client.post(
        url,
        {
            "year": 2027,
            "source": "上海市人力资源和社会保障局 2027年人力资源市场工资价位",
            "default_occupation": "社区工作者",
            "default_wage": "31.50",
            "copy_previous": "on",
        },
    )
    assert response.status_code == 302
    new = WageTable.objects.get(city=city, year=2027)
    assert new.default_wage == Decimal("31.50") and new.updated_by == city_admin
    assert [(r.category, r.occupation, r.hourly_wage) for r in new.rates.all()] == [
        (health, "护士", Decimal("45.00"))
    ]
    entry = AuditEntry.objects.get(action="wages.table_created")
    assert entry.data["rates"] == {str(health.pk): ["护士", "45.00"]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": 2026, "default_wage": "30"}, "year"),  # a table of 2026 exists
        ({"year": 2027, "default_wage": "0"}, "default_wage"),
        ({"year": 2027, "default_wage": "-5"}, "default_wage"),
        ({"year": 2027, "default_wage": "1.234"}, "default_wage"),
        ({"year": 2027, "default_wage": "abc"}, "default_wage"),
        ({"year": 1999, "default_wage": "30"}, "year"),
        ({"year": 2027, "default_wage": "30", "default_occupation": ""}, "default_occupation"),
    ],
)
def test_bad_new_table_changes_nothing(client, city, city_admin, table, data, field):
    client.force_login(city_admin)
    data = {"default_occupation": "社区工作者", **data}
    response = client.post(reverse("value:wage_new", args=[city.code]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert WageTable.objects.count() == 1


def test_copy_with_nothing_to_copy_is_refused(client, city, city_admin):
    client.force_login(city_admin)
    response = client.post(
        reverse("value:wage_new", args=[city.code]),
        {
            "year": 2026,
            "default_occupation": "社区工作者",
            "default_wage": "30",
            "copy_previous": "on",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["copy_previous"]
    assert not WageTable.objects.exists()


def _edit_data(rows, **table):
    data = {
        "source": "新来源",
        "default_occupation": "社区工作者",
        "default_wage": "32.00",
        "rates-TOTAL_FORMS": str(len(rows)),
        "rates-INITIAL_FORMS": str(len(rows)),
        **table,
    }
    for i, (category, occupation, wage) in enumerate(rows):
        data[f"rates-{i}-category"] = str(category)
        data[f"rates-{i}-occupation"] = occupation
        data[f"rates-{i}-hourly_wage"] = wage
    return data


def test_edit_the_default_and_the_rates(client, city, city_admin, table, health, community_service):
    client.force_login(city_admin)
    url = reverse("value:wage_edit", args=[city.code, 2026])
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 2  # one row per main category
    response = client.post(
        url, _edit_data([(health.pk, "", ""), (community_service.pk, "社区工作者", "33.30")])
    )
    assert response.status_code == 302
    table.refresh_from_db()
    assert (table.source, table.default_wage) == ("新来源", Decimal("32.00"))
    assert [(r.category, r.hourly_wage) for r in table.rates.all()] == [
        (community_service, Decimal("33.30"))
    ]
    entry = AuditEntry.objects.get(action="wages.table_updated")
    assert entry.data["before"]["rates"] == {str(health.pk): ["护士", "45.00"]}
    assert entry.data["after"]["default_wage"] == "32.00"


@pytest.mark.parametrize(
    ("row", "table_fields"),
    [
        (("护士", "0"), {}),  # non-positive wage
        (("护士", "-1"), {}),
        (("护士", ""), {}),  # occupation without a wage
        (("", "45"), {}),  # wage without an occupation
        (("护士", "45"), {"default_wage": "0"}),
        (("护士", "45.001"), {}),
    ],
)
def test_bad_rates_change_nothing(client, city, city_admin, table, health, row, table_fields):
    client.force_login(city_admin)
    url = reverse("value:wage_edit", args=[city.code, 2026])
    response = client.post(url, _edit_data([(health.pk, *row)], **table_fields))
    assert response.status_code == 400
    assert response.context["form"].errors or response.context["formset"].total_error_count()
    table.refresh_from_db()
    assert (table.source, table.default_wage) == ("测试工资价位", Decimal("30.00"))
    assert WageRate.objects.get().hourly_wage == Decimal("45.00")
    assert not AuditEntry.objects.filter(action="wages.table_updated").exists()


def test_a_subcategory_or_unknown_category_is_refused(
    client, city, city_admin, table, health, sub_health
):
    client.force_login(city_admin)
    url = reverse("value:wage_edit", args=[city.code, 2026])
    for category in (sub_health.pk, 999999):
        response = client.post(url, _edit_data([(category, "急救员", "50")]))
        assert response.status_code == 400
        assert response.context["rate_errors"]
    response = client.post(url, _edit_data([(health.pk, "a", "1"), (health.pk, "b", "2")]))
    assert response.status_code == 400
    assert WageRate.objects.get().occupation == "护士"


def test_a_new_table_changes_the_public_page_at_once(
    client, city, city_admin, district, worked, django_capture_on_commit_callbacks
):
    assert client.get(reverse("value:region")).context["valuation"].value is None
    make_table(city, 2026)  # straight into the database: the cached page is still served
    assert client.get(reverse("value:region")).context is None
    admin = client_class_copy(client)
    admin.force_login(city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            reverse("value:wage_new", args=[city.code]),
            {"year": 2025, "default_occupation": "社区工作者", "default_wage": "20"},
        )
    response = client.get(reverse("value:region"))
    assert response.context["valuation"].value == Decimal("105.00")  # 3.5 h × 30.00


def client_class_copy(client):
    return type(client)()
