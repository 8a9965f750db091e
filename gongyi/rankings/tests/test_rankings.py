"""Live rankings from the tallies equal the ledger; ties share a rank; published lists stay
frozen; exports open; outsiders cannot publish."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.orgs import bases
from gongyi.rankings import selectors, services
from gongyi.rankings.models import PublishedRanking
from gongyi.stats import services as stats_services
from gongyi.stats.tests.conftest import append, correct
from gongyi.testing.people import make_volunteer

TODAY = timezone.localdate()  # a past-or-present day for records and as-of dates


def live(subject, region, period="all"):
    cache.clear()
    query = selectors.parse_query(subject=subject, region_code=region.code, period=period)
    return [
        (e["rank"], e["subject_id"], e["minutes"]) for e in selectors.live_ranking(query).entries
    ]


def from_ledger(subject, region, period="all"):
    query = selectors.parse_query(subject=subject, region_code=region.code, period=period)
    entries = selectors.ledger_ranking(query, as_of=TODAY)
    return [(e["rank"], e["subject_id"], e["minutes"]) for e in entries]


def test_ranks_are_shared_by_ties():
    rows = [(7, 90), (3, 60), (5, 60), (1, 30)]
    assert selectors.with_ranks(rows) == [(1, 7, 90), (2, 3, 60), (2, 5, 60), (4, 1, 30)]


def test_each_subject_ranks_its_own(projects, city, east, west, team, association, community):
    alice, bob = make_volunteer(real_name="王小红"), make_volunteer(real_name="李大明")
    stats_services.set_ranking_consent(volunteer=alice, given=True)
    append(alice, projects[0], minutes=120)  # the team, in the east
    append(bob, projects[2], minutes=300)  # the association, in the west
    append(bob, projects[3], minutes=60)  # the association, in the east
    assert live("organisations", city) == [(1, association.pk, 360), (2, team.pk, 120)]
    assert live("organisations", east) == [(1, team.pk, 120), (2, association.pk, 60)]
    assert live("teams", city) == [(1, team.pk, 120)]
    assert live("communities", city) == [(1, community.pk, 120)]
    assert live("volunteers", city) == [(1, alice.pk, 120)]  # bob did not opt in
    assert live("bases", city) == []
    designation = bases.base_apply(
        actor=association_admin(association), org=association, statement="环保教育基地"
    )
    bases.base_decide(actor=district_admin_of(west), designation=designation, name=True)
    assert live("bases", city) == [(1, association.pk, 360)]
    entry = selectors.live_ranking(
        selectors.parse_query(subject="volunteers", region_code=city.code, period="all")
    ).entries[0]
    assert entry["name"].startswith("王*")  # masked on public pages


def association_admin(org):
    return org.memberships.get(role="admin").user


def district_admin_of(district):
    from gongyi.accounts.models import StaffRole
    from gongyi.testing.people import make_user

    user = make_user()
    StaffRole.objects.create(user=user, role="district_admin", region=district)
    return user


def test_periods_split_by_year_and_month(projects, city, association):
    person = make_volunteer()
    append(person, projects[2], minutes=60, day=date(2025, 12, 31))
    append(person, projects[2], minutes=30, day=date(2026, 1, 1))
    assert live("organisations", city, "2025") == [(1, association.pk, 60)]
    assert live("organisations", city, "2026-01") == [(1, association.pk, 30)]
    assert live("organisations", city, "2026-02") == []
    assert live("organisations", city) == [(1, association.pk, 90)]


def test_a_published_list_is_frozen(projects, city, association, city_admin, recorder):
    person = make_volunteer()
    record = append(person, projects[2], minutes=600, day=TODAY - timedelta(days=3))
    append(person, projects[2], minutes=60, day=TODAY)  # after the as-of date: left out
    query = selectors.parse_query(subject="organisations", region_code=city.code, period="all")
    published = services.publish_ranking(
        actor=city_admin, query=query, as_of=TODAY - timedelta(days=1)
    )
    assert [(e["rank"], e["minutes"]) for e in published.entries] == [(1, 600)]
    correct(record, 30, recorder)
    published.refresh_from_db()
    assert published.entries[0]["minutes"] == 600  # frozen
    assert live("organisations", city)[0][2] == 90  # the live ranking moved on


def test_only_a_city_admin_publishes(projects, city, outsider, district_admin, volunteer):
    query = selectors.parse_query(subject="organisations", region_code=city.code, period="all")
    for stranger in (outsider, district_admin, volunteer.user):
        with pytest.raises(NotAllowed):
            services.publish_ranking(actor=stranger, query=query, as_of=TODAY)
    assert not PublishedRanking.objects.exists()


def test_a_future_date_is_refused(city, city_admin):
    query = selectors.parse_query(subject="organisations", region_code=city.code, period="all")
    tomorrow = timezone.localdate() + timedelta(days=1)  # now, not at import: midnight passes
    with pytest.raises(ServiceError):
        services.publish_ranking(actor=city_admin, query=query, as_of=tomorrow)


@pytest.mark.parametrize("period", ["2026-13", "1999", "abc", "2026-1-1", "-3"])
def test_bad_periods_get_a_clear_error(city, period):
    with pytest.raises(ServiceError) as raised:
        selectors.parse_query(subject="organisations", region_code=city.code, period=period)
    assert raised.value.field == "period"


APPEND = st.tuples(st.just("append"), st.integers(0, 5), st.integers(0, 3), st.integers(1, 300))
CORRECT = st.tuples(st.just("correct"), st.integers(0, 40), st.integers(0, 300), st.just(0))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(st.one_of(APPEND, CORRECT), min_size=1, max_size=16))
def test_live_rankings_equal_a_full_recomputation_from_the_ledger(
    projects, city, east, recorder, operations
):
    people = [make_volunteer() for _ in range(6)]
    for person in people[:3]:
        stats_services.set_ranking_consent(volunteer=person, given=True)
    live_records = []
    for action, a, b, c in operations:
        if action == "append":
            live_records.append(append(people[a], projects[b], minutes=c, day=TODAY))
        elif live_records:
            record = live_records.pop(a % len(live_records))
            live_records.append(correct(record, b, recorder) if b != record.minutes else record)
    for subject in ("organisations", "teams", "communities", "volunteers"):
        for region in (city, east):
            assert live(subject, region) == from_ledger(subject, region)
    stats_services.recompute()
    assert live("organisations", city) == from_ledger("organisations", city)


# --- pages and exports ------------------------------------------------------------------------


def test_the_page_shows_the_ranking_and_exports_open(client, projects, city, association):
    append(make_volunteer(), projects[2], minutes=90)
    page = client.get(reverse("rankings:list"), {"region": city.code})
    assert page.status_code == 200 and association.name in page.content.decode()
    params = {"subject": "organisations", "region": city.code, "period": "all"}
    body = client.get(reverse("rankings:export", args=["csv"]), params).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][:2] == ["1", association.name] and rows[1][3] == "1.5"
    body = client.get(reverse("rankings:export", args=["xlsx"]), params).content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[2]] == [1, association.name, association.district.name, 1.5]
    assert client.get(reverse("rankings:export", args=["pdf"]), params).status_code == 404


def test_bad_input_on_the_page_is_a_clear_error_not_a_500(client, city):
    response = client.get(reverse("rankings:list"), {"period": "2026-99", "subject": "x"})
    assert response.status_code == 400
    response = client.get(reverse("rankings:list"), {"region": "999999"})
    assert response.status_code == 400
    assert client.get(reverse("rankings:export", args=["csv"]), {"period": "x"}).status_code == 404


def test_publish_page_refuses_outsiders_and_publishes_for_the_city_admin(
    client, projects, city, outsider, district_admin, city_admin
):
    append(make_volunteer(), projects[2], minutes=90, day=TODAY - timedelta(days=1))
    url = reverse("rankings:publish")
    assert client.get(url).status_code == 302  # to the login page
    for stranger in (outsider, district_admin):
        client.force_login(stranger)
        assert client.get(url).status_code == 403
        assert (
            client.post(
                url, {"subject": "organisations", "period": "all", "as_of": TODAY}
            ).status_code
            == 403
        )
    client.force_login(city_admin)
    bad = client.post(url, {"subject": "organisations", "period": "20x", "as_of": TODAY})
    assert bad.status_code == 200 and not PublishedRanking.objects.exists()
    done = client.post(
        url,
        {
            "subject": "organisations",
            "period": "all",
            "as_of": TODAY,
            "title": "2026年度公益组织百强",
        },
    )
    published = PublishedRanking.objects.get()
    assert done.url == reverse("rankings:published_detail", args=[published.pk])
    client.logout()
    page = client.get(done.url).content.decode()
    assert "2026年度公益组织百强" in page
    xlsx = client.get(reverse("rankings:published_export", args=[published.pk, "xlsx"]))
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).active["B2"].value
    assert "2026年度公益组织百强" in client.get(reverse("rankings:published_list")).content.decode()


def test_consent_page(client, projects, city, volunteer, outsider):
    url = reverse("rankings:consent")
    assert client.get(url).status_code == 302
    client.force_login(outsider)  # no volunteer profile
    assert client.get(url).status_code == 302
    client.force_login(volunteer.user)
    client.post(url, {"given": "on"})
    append(volunteer, projects[0], minutes=60)
    assert live("volunteers", city) == [(1, volunteer.pk, 60)]
    client.post(url, {})
    assert live("volunteers", city) == []


# --- API ----------------------------------------------------------------------------------------


def test_api_ranking_and_publishing(client, projects, city, association, city_admin, outsider):
    from gongyi.growth.tests.conftest import bearer

    append(make_volunteer(), projects[2], minutes=90, day=TODAY - timedelta(days=1))
    got = client.get("/api/v1/rankings", {"region": city.code}).json()
    assert got["entries"][0]["name"] == association.name and got["entries"][0]["hours"] == 1.5
    assert client.get("/api/v1/rankings", {"period": "2026-14"}).status_code == 400
    body = {
        "subject": "organisations",
        "region": city.code,
        "period": "all",
        "as_of": TODAY.isoformat(),
    }
    assert (
        client.post(
            "/api/v1/rankings/published", body, content_type="application/json", **bearer(outsider)
        ).status_code
        == 403
    )
    assert (
        client.post("/api/v1/rankings/published", body, content_type="application/json").status_code
        == 401
    )
    made = client.post(
        "/api/v1/rankings/published", body, content_type="application/json", **bearer(city_admin)
    )
    assert made.status_code == 201
    published_id = made.json()["id"]
    assert client.get(f"/api/v1/rankings/published/{published_id}").json()["entries"]
    assert client.get("/api/v1/rankings/published/999").status_code == 404
    assert client.get("/api/v1/rankings/published").json()[0]["id"] == published_id


def test_api_consent(client, volunteer, outsider):
    from gongyi.growth.tests.conftest import bearer

    assert client.get("/api/v1/rankings/consent").status_code == 401
    assert client.get("/api/v1/rankings/consent", **bearer(outsider)).status_code == 400
    headers = bearer(volunteer.user)
    put = client.put(
        "/api/v1/rankings/consent", {"given": True}, content_type="application/json", **headers
    )
    assert put.json() == {"given": True}
    assert client.get("/api/v1/rankings/consent", **headers).json() == {"given": True}


def test_naming_volunteers_costs_the_same_queries_for_one_or_many(projects, city, community):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongyi.rankings.subjects import names

    people = [make_volunteer(home_region=community) for _ in range(5)]
    with CaptureQueriesContext(connection) as one:
        names("volunteers", [people[0].pk])
    with CaptureQueriesContext(connection) as five:
        found = names("volunteers", [p.pk for p in people])
    assert len(five) == len(one) == 1
    assert {entry["district"] for entry in found.values()} == {community.district.name}


def test_a_quarter_hour_is_rounded_half_up_as_everywhere_else(
    client, projects, city, association, city_admin
):
    append(make_volunteer(), projects[2], minutes=15, day=TODAY - timedelta(days=1))
    query = selectors.parse_query(subject="organisations", region_code=city.code, period="all")
    cache.clear()
    assert selectors.live_ranking(query).entries[0]["hours"] == 0.3  # not round()'s 0.2
    assert selectors.ledger_ranking(query, as_of=TODAY)[0]["hours"] == 0.3
    assert (
        client.get("/api/v1/rankings", {"region": city.code}).json()["entries"][0]["hours"] == 0.3
    )
    params = {"subject": "organisations", "region": city.code, "period": "all"}
    body = client.get(reverse("rankings:export", args=["csv"]), params).content
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1][3] == "0.3"
    published = services.publish_ranking(actor=city_admin, query=query, as_of=TODAY, title="")
    body = client.get(reverse("rankings:published_export", args=[published.pk, "csv"])).content
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))[1][3] == "0.3"


@pytest.mark.parametrize("code", ["\x00", "31\x00", " 31 x", "1" * 40])
def test_a_malformed_region_code_is_a_400_not_a_500(client, city, code):
    assert client.get(reverse("rankings:list"), {"region": code}).status_code == 400
    assert client.get("/api/v1/rankings", {"region": code[:12]}).status_code == 400
    export = client.get(reverse("rankings:export", args=["csv"]), {"region": code})
    assert export.status_code == 404


def test_a_street_is_not_a_ranked_region(client, city, street):
    assert client.get(reverse("rankings:list"), {"region": street.code}).status_code == 400
