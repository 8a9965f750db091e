"""The figures: the ILO replacement-cost value against hand-computed examples, the year
fallback of wage tables, rounding, and project / organisation / district / city agreeing."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from gongyi.regions.models import Region
from gongyi.signups.tests.conftest import make_project
from gongyi.testing.people import make_org
from gongyi.value import selectors
from gongyi.value.selectors import EARLIER, EXACT, LATER, yuan
from gongyi.value.tests.conftest import append, make_table

pytestmark = pytest.mark.django_db


def test_economic_value_against_a_hand_computed_example(city, district, table, worked):
    # 90 min of 卫生健康 at the nurse's 45.00/h  = 1.5 h × 45.00 = 67.50 yuan
    # 120 min of 社区服务 (no rate: default 30.00/h) = 2 h × 30.00 = 60.00 yuan
    # total                                                      = 127.50 yuan
    for region in (city, district):
        found = selectors.region_value(region)
        assert found.value == Decimal("127.50")
        assert found.minutes == 210
        assert found.hours == Decimal("3.50")
        rows = {
            r.category: (r.occupation, r.wage, r.hours, r.value, r.is_default) for r in found.rows
        }
        assert rows == {
            "卫生健康": ("护士", Decimal("45.00"), Decimal("1.50"), Decimal("67.50"), False),
            "社区服务": (
                "社区和社会服务人员",
                Decimal("30.00"),
                Decimal("2.00"),
                Decimal("60.00"),
                True,
            ),
        }
        assert found.for_year(2026).value == Decimal("127.50")
        assert found.for_year(2025).value == Decimal("0.00")


def test_rounding_is_half_up_once_at_the_end():
    # 1 minute at 0.30/h is 0.005 yuan: half-up makes it 0.01 (banker's rounding would say 0.00)
    assert yuan(1 * 30) == Decimal("0.01")
    # 1 minute at 0.29/h is 0.00483…: 0.00
    assert yuan(1 * 29) == Decimal("0.00")
    # Three rows of 0.005 each: rounded separately 0.03, summed exactly then rounded 0.02
    assert yuan(3 * 30) == Decimal("0.02")
    assert yuan(0) == Decimal("0.00")


def test_rows_are_summed_exactly_before_rounding(city, district, health, server, org):
    # 1 minute of health and 1 of the default, both at 0.30/h: each row 0.005 (shown 0.01),
    # the total 0.01 exactly: the rule on the page.
    make_table(city, 2026, default="0.30", rates={health: ("护士", "0.30")})
    append(server, make_project(org, category=health), minutes=1)
    append(server, make_project(org), minutes=1)
    found = selectors.region_value(city)
    assert [r.value for r in found.rows] == [Decimal("0.01"), Decimal("0.01")]
    assert found.value == Decimal("0.01")


def test_the_year_picks_its_table_else_the_latest_earlier_else_the_earliest_later(
    city, district, health, server, clinic
):
    t2024 = make_table(city, 2024, rates={health: ("护士", "40.00")})
    t2026 = make_table(city, 2026, rates={health: ("护士", "50.00")})
    tables = selectors.city_tables(city)
    assert selectors.pick_table(tables, 2024) == (t2024, EXACT)
    assert selectors.pick_table(tables, 2025) == (t2024, EARLIER)
    assert selectors.pick_table(tables, 2027) == (t2026, EARLIER)
    assert selectors.pick_table(tables, 2023) == (t2024, LATER)
    assert selectors.pick_table([], 2026) == (None, "")

    for year in (2023, 2025, 2026):
        append(server, clinic, minutes=60, day=date(year, 5, 1))
    found = selectors.region_value(district)
    by_year = {r.year: (r.table, r.how, r.value) for r in found.rows}
    assert by_year == {
        2023: (t2024, LATER, Decimal("40.00")),
        2025: (t2024, EARLIER, Decimal("40.00")),
        2026: (t2026, EXACT, Decimal("50.00")),
    }
    assert found.value == Decimal("130.00")
    uses = {(u.table.year, u.how): u.years for u in found.tables_used()}
    assert uses == {(2024, LATER): [2023], (2024, EARLIER): [2025], (2026, EXACT): [2026]}


def test_no_wage_table_shows_hours_without_a_value(city, district, server, clinic):
    append(server, clinic, minutes=90)
    found = selectors.region_value(city)
    assert found.hours == Decimal("1.50")
    assert found.value is None
    assert found.unvalued_minutes == 90
    assert [(r.wage, r.value, r.occupation) for r in found.rows] == [(None, None, "")]
    assert selectors.project_value(clinic).value is None


def test_no_hours_is_zero_not_unknown(city, district, table):
    found = selectors.region_value(city)
    assert found.rows == []
    assert found.value == Decimal("0.00")


def test_another_citys_table_is_not_used(city, district, health, server, clinic):
    chengdu = Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)
    make_table(chengdu, 2026, rates={health: ("护士", "45.00")})
    append(server, clinic, minutes=60)
    assert selectors.region_value(city).value is None
    assert selectors.region_value(chengdu).minutes == 0


def test_a_subcategory_takes_its_main_categorys_rate(
    city, district, table, server, org, sub_health
):
    append(server, make_project(org, category=sub_health), minutes=60)
    row = selectors.region_value(city).rows[0]
    assert (row.occupation, row.wage, row.is_default) == ("护士", Decimal("45.00"), False)


def test_project_org_district_and_city_figures_agree(
    city, district, other_district, health, server, org, other_org
):
    make_table(city, 2025, default="28.50", rates={health: ("护士", "43.33")})
    make_table(city, 2026, default="30.00", rates={health: ("护士", "45.00")})
    here = [make_project(org, category=health), make_project(org)]
    there = make_project(org, category=health, district=other_district)  # org serving elsewhere
    theirs = make_project(other_org, category=health)  # in other_district
    for minutes, project, day in [
        (95, here[0], date(2025, 4, 2)),
        (37, here[0], date(2026, 1, 9)),
        (61, here[1], date(2025, 7, 7)),
        (13, there, date(2026, 2, 2)),
        (77, theirs, date(2026, 3, 3)),
        (119, theirs, date(2024, 3, 3)),  # no 2024 table: the 2025 one (earliest later)
    ]:
        append(server, project, minutes=minutes, day=day)

    projects = {p.pk: selectors.project_value(p) for p in [*here, there, theirs]}
    city_v = selectors.region_value(city)
    districts = dict(selectors.district_values(city))
    org_v = selectors.org_value(org)
    other_v = selectors.org_value(other_org)

    # Exact sums agree (minutes × cents per hour), so the rounded totals agree too.
    assert city_v.minute_cents == sum(v.minute_cents for v in districts.values())
    assert city_v.minute_cents == sum(v.minute_cents for v in projects.values())
    assert org_v.total.minute_cents == sum(projects[p.pk].minute_cents for p in [*here, there])
    assert org_v.total.minute_cents + other_v.total.minute_cents == city_v.minute_cents
    assert districts[district].minute_cents == sum(projects[p.pk].minute_cents for p in here)
    assert districts[other_district].minute_cents == sum(
        projects[p.pk].minute_cents for p in (there, theirs)
    )
    assert city_v.minutes == 95 + 37 + 61 + 13 + 77 + 119
    assert city_v.value == yuan(city_v.minute_cents)
    # And by hand: 95 min × 43.33 + 61 × 28.50 + 119 × 43.33 (2024 → 2025 table)
    #            + 37 × 45.00 + 13 × 45.00 + 77 × 45.00, all / 60
    cents = Decimal(95 * 4333 + 61 * 2850 + 119 * 4333 + (37 + 13 + 77) * 4500) / 60
    assert city_v.value == (cents / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert [p.pk for p, _v in org_v.projects] == [here[0].pk, here[1].pk, there.pk]


def test_an_organisation_with_projects_in_two_cities_uses_each_citys_table(
    city, district, health, server, org
):
    chengdu = Region.objects.create(code="5101", name="成都市", level=Region.Level.CITY)
    jinjiang = Region.objects.create(
        code="510104", name="锦江区", level=Region.Level.DISTRICT, parent=chengdu, city=chengdu
    )
    make_table(city, 2026, rates={health: ("护士", "60.00")})
    make_table(chengdu, 2026, rates={health: ("护士", "40.00")})
    append(server, make_project(org, category=health), minutes=60)
    append(server, make_project(make_org(jinjiang), category=health), minutes=60)
    append(server, make_project(org, category=health, district=jinjiang), minutes=30)
    found = selectors.org_value(org).total
    assert found.value == Decimal("80.00")  # 1 h × 60.00 + 0.5 h × 40.00
    assert {r.city.code for r in found.rows} == {"31", "5101"}
