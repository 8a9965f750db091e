"""The calendar API: shifts in a range with the finder's filters, my calendar, an org's
calendar, my feed URL (issue, revoke) and saved searches (the owner alone)."""

import datetime

import pytest
import vobject

from gongyi.calendars import services
from gongyi.calendars.models import FeedToken, SavedSearch
from gongyi.calendars.tests.conftest import bearer, make_project, make_shift, shanghai
from gongyi.projects.models import Project
from gongyi.signups.services import signup_cancel, signup_create
from gongyi.testing.people import make_org, make_user

API = "/api/v1/calendar"


def month_range(day: datetime.date) -> dict:
    return {"start": day.replace(day=1).isoformat(), "end": day.replace(day=28).isoformat()}


# --- shifts with the finder's filters -------------------------------------------------------


def test_shifts_in_a_range_with_shanghai_times(client, morning_shift, next_month):
    response = client.get(f"{API}/shifts", month_range(next_month))
    assert response.status_code == 200
    data = response.json()
    assert data["truncated"] is False
    [shift] = data["shifts"]
    assert shift["shift_id"] == morning_shift.pk
    assert shift["starts_at"] == shanghai(next_month, 9).isoformat()
    assert shift["starts_at"].endswith("+08:00")
    assert shift["day"] == next_month.isoformat()
    assert shift["places_left"] == 5 and shift["place"] == morning_shift.point.name
    assert shift["project_url"].endswith(morning_shift.project.get_absolute_url())


def test_the_finders_filters_apply(client, morning_shift, project, other_district, next_month):
    evening = make_shift(project, start=shanghai(next_month, 19))
    elsewhere = make_project(make_org(other_district), title="徐汇")
    make_shift(elsewhere, start=shanghai(next_month, 19))
    query = {**month_range(next_month), "time_of_day": "evening", "district": project.district_id}
    ids = [s["shift_id"] for s in client.get(f"{API}/shifts", query).json()["shifts"]]
    assert ids == [evening.pk]
    weekday = next_month.isoweekday() % 7 + 1  # another day of the week
    query = {**month_range(next_month), "weekday": [weekday]}
    assert morning_shift.pk not in [
        s["shift_id"] for s in client.get(f"{API}/shifts", query).json()["shifts"]
    ]


def test_a_keyword_without_any_word_matches_nothing(client, morning_shift, next_month):
    query = {**month_range(next_month), "q": "!!!"}
    assert client.get(f"{API}/shifts", query).json()["shifts"] == []


def test_drafts_are_not_public(client, org, next_month):
    draft = make_project(org, status=Project.Status.DRAFT, published_at=None)
    make_shift(draft, start=shanghai(next_month, 9))
    assert client.get(f"{API}/shifts", month_range(next_month)).json()["shifts"] == []


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-12-10", "end": "2026-12-01"},
        {"start": "2026-01-01", "end": "2026-06-01"},
        {"start": "1990-01-01", "end": "1990-01-02"},
        {"start": "9999-12-31"},
        {"end": "0001-01-01"},
    ],
)
def test_a_bad_range_is_a_clear_400(db, client, query):
    response = client.get(f"{API}/shifts", query)
    assert response.status_code == 400
    assert response.json()["message"]


@pytest.mark.parametrize(
    "query", [{"start": "junk"}, {"weekday": "9"}, {"mode": "x"}, {"district": "0"}]
)
def test_invalid_parameters_are_422(db, client, query):
    assert client.get(f"{API}/shifts", query).status_code == 422


def test_a_long_range_is_truncated_not_endless(client, project, next_month, monkeypatch):
    from gongyi.calendars import api

    monkeypatch.setattr(api, "RANGE_LIMIT", 3)
    for hour in range(8, 13):
        make_shift(project, start=shanghai(next_month, hour), hours=1)
    data = client.get(f"{API}/shifts", month_range(next_month)).json()
    assert data["truncated"] is True and len(data["shifts"]) == 3


# --- my calendar ----------------------------------------------------------------------------


def test_my_calendar_lists_my_live_signups(client, volunteer, morning_shift, next_month):
    signup = signup_create(volunteer=volunteer, shift=morning_shift)
    headers = bearer(volunteer.user)
    data = client.get(f"{API}/mine", month_range(next_month), **headers).json()
    assert [(s["signup_id"], s["status"]) for s in data["signups"]] == [(signup.pk, "confirmed")]
    signup_cancel(actor=volunteer.user, signup=signup)
    assert client.get(f"{API}/mine", month_range(next_month), **headers).json()["signups"] == []


def test_my_calendar_needs_a_caller_and_a_volunteer(client, outsider):
    assert client.get(f"{API}/mine").status_code == 401
    response = client.get(f"{API}/mine", **bearer(outsider))
    assert response.status_code == 400
    assert response.json()["code"] == "not_volunteer"


def test_my_calendar_never_shows_another_volunteers_signups(
    client, volunteer, outsider, morning_shift, next_month
):
    from gongyi.testing.people import make_volunteer

    signup_create(volunteer=volunteer, shift=morning_shift)
    other = make_volunteer()
    data = client.get(f"{API}/mine", month_range(next_month), **bearer(other.user)).json()
    assert data["signups"] == []


# --- an organisation's calendar -------------------------------------------------------------


def test_the_org_calendar_is_public_and_its_organisers_see_drafts(
    client, org, org_admin, morning_shift, next_month
):
    draft = make_project(org, status=Project.Status.DRAFT, published_at=None)
    draft_shift = make_shift(draft, start=shanghai(next_month, 15))
    url = f"{API}/orgs/{org.pk}"
    public = client.get(url, month_range(next_month)).json()
    assert [s["shift_id"] for s in public["shifts"]] == [morning_shift.pk]
    own = client.get(url, month_range(next_month), **bearer(org_admin)).json()
    statuses = {s["shift_id"]: s["project_status"] for s in own["shifts"]}
    assert statuses == {morning_shift.pk: "published", draft_shift.pk: "draft"}


def test_an_outsider_sees_no_drafts_and_no_hidden_org(client, org, outsider, district, next_month):
    draft = make_project(org, status=Project.Status.DRAFT, published_at=None)
    make_shift(draft, start=shanghai(next_month, 15))
    data = client.get(f"{API}/orgs/{org.pk}", month_range(next_month), **bearer(outsider)).json()
    assert data["shifts"] == []
    pending = make_org(district, status="pending")
    assert client.get(f"{API}/orgs/{pending.pk}", **bearer(outsider)).status_code == 404
    assert client.get(f"{API}/orgs/999999").status_code == 404


# --- my feed URL ----------------------------------------------------------------------------


def test_issue_read_and_revoke_my_feed_url(client, volunteer, morning_shift):
    signup_create(volunteer=volunteer, shift=morning_shift)
    headers = bearer(volunteer.user)
    assert client.get(f"{API}/feed", **headers).json()["active"] is False
    issued = client.post(f"{API}/feed", **headers).json()
    assert issued["active"] is True and issued["webcal_url"].startswith("webcal://")
    feed = client.get(issued["url"])
    assert feed.status_code == 200
    assert len(vobject.readOne(feed.content.decode()).vevent_list) == 1
    status = client.get(f"{API}/feed", **headers).json()
    assert status["active"] is True and status["prefix"] == issued["prefix"]
    assert status["last_fetched_at"] is not None
    revoked = client.delete(f"{API}/feed", **headers).json()
    assert revoked["active"] is False
    assert client.get(issued["url"]).status_code == 404


def test_my_feed_url_needs_a_caller_and_a_volunteer(client, outsider):
    assert client.post(f"{API}/feed").status_code == 401
    assert client.get(f"{API}/feed").status_code == 401
    assert client.delete(f"{API}/feed").status_code == 401
    assert client.post(f"{API}/feed", **bearer(outsider)).status_code == 400
    assert not FeedToken.objects.exists()


# --- saved searches -------------------------------------------------------------------------


def test_saved_searches_crud_by_the_owner(client, outsider, district, morning_shift):
    headers = bearer(outsider)
    created = client.post(
        f"{API}/searches",
        {"name": "黄浦", "query": f"?district={district.pk}&junk=1"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 200
    search = created.json()
    assert search["query"] == f"district={district.pk}"
    assert search["described"] == [district.name]
    assert search["feed_url"].endswith(".ics") and search["webcal_url"].startswith("webcal://")
    assert search["calendar_url"].endswith(f"/calendar/?district={district.pk}")
    feed = client.get(search["feed_url"])
    assert len(vobject.readOne(feed.content.decode()).vevent_list) == 1
    url = f"{API}/searches/{search['id']}"
    assert client.get(url, **headers).json()["name"] == "黄浦"
    assert [s["id"] for s in client.get(f"{API}/searches", **headers).json()] == [search["id"]]
    changed = client.put(
        url, {"name": "线上", "query": "mode=online"}, content_type="application/json", **headers
    ).json()
    assert (changed["name"], changed["query"]) == ("线上", "mode=online")
    assert client.delete(url, **headers).status_code == 204
    assert client.get(url, **headers).status_code == 404
    assert client.get(search["feed_url"]).status_code == 404


def test_an_outsider_is_refused_someone_elses_search(client, outsider):
    owner = make_user()
    search = services.saved_search_create(user=owner, name="我的", query="mode=online")
    headers = bearer(outsider)
    url = f"{API}/searches/{search.pk}"
    assert client.get(url, **headers).status_code == 403
    body = {"name": "偷改", "query": ""}
    assert client.put(url, body, content_type="application/json", **headers).status_code == 403
    assert client.delete(url, **headers).status_code == 403
    assert client.get(f"{API}/searches", **headers).json() == []
    search.refresh_from_db()
    assert search.name == "我的"


def test_saved_searches_need_a_caller(db, client):
    assert client.get(f"{API}/searches").status_code == 401
    body = {"name": "x", "query": ""}
    assert client.post(f"{API}/searches", body, content_type="application/json").status_code == 401


def test_a_blank_name_is_refused_and_nothing_is_saved(client, outsider):
    headers = bearer(outsider)
    blank = client.post(
        f"{API}/searches", {"name": "   ", "query": ""}, content_type="application/json", **headers
    )
    assert blank.status_code == 400 and blank.json()["field"] == "name"
    empty = client.post(
        f"{API}/searches", {"name": "", "query": ""}, content_type="application/json", **headers
    )
    assert empty.status_code == 422
    assert not SavedSearch.objects.exists()


def test_the_feeds_are_in_the_openapi_schema(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/calendar/feeds/volunteers/{token}.ics",
        "/api/v1/calendar/feeds/orgs/{org_id}.ics",
        "/api/v1/calendar/feeds/searches/{key}.ics",
    ):
        assert "text/calendar" in paths[path]["get"]["responses"]["200"]["content"]
    assert {"/api/v1/calendar/shifts", "/api/v1/calendar/mine", "/api/v1/calendar/feed"} <= set(
        paths
    )
