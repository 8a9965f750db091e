"""The iCalendar feeds, read back with a third-party parser (vobject): right times in
Asia/Shanghai with its VTIMEZONE, stable UIDs, cancellations gone, outsiders refused."""

import datetime

import pytest
import vobject
from django.urls import reverse

from gongyi.accounts.services import close_account
from gongyi.calendars import services
from gongyi.calendars.models import SavedSearch
from gongyi.calendars.periods import local_today
from gongyi.calendars.tests.conftest import make_project, make_shift, shanghai
from gongyi.projects.models import Project
from gongyi.signups.services import signup_cancel, signup_create
from gongyi.testing.people import PASSWORD, make_org, make_volunteer

UTC = datetime.UTC


def parse(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return vobject.readOne(response.content.decode("utf-8"))


def events(calendar) -> list:
    return list(getattr(calendar, "vevent_list", []))


def by_uid(calendar) -> dict:
    return {event.uid.value: event for event in events(calendar)}


def volunteer_feed(client, key: str):
    return client.get(reverse("api:calendar_volunteer_feed", args=[key]))


@pytest.fixture
def signed_up(volunteer, morning_shift):
    return signup_create(volunteer=volunteer, shift=morning_shift)


@pytest.fixture
def feed_key(volunteer) -> str:
    _token, key = services.feed_token_issue(volunteer=volunteer)
    return key


# --- a volunteer's private feed -------------------------------------------------------------


def test_a_shift_at_nine_in_shanghai_reads_back_as_nine_shanghai_one_utc(
    client, signed_up, feed_key, morning_shift, next_month
):
    calendar = parse(volunteer_feed(client, feed_key))
    event = by_uid(calendar)[f"signup-{signed_up.pk}@gongyi"]
    assert event.dtstart.value == shanghai(next_month, 9)
    assert event.dtstart.value.astimezone(UTC).time() == datetime.time(1, 0)
    assert event.dtend.value.astimezone(UTC).time() == datetime.time(4, 0)
    # vobject read the times against the feed's own VTIMEZONE, named by the TZID parameter.
    for prop in (event.dtstart, event.dtend):
        assert prop.params["X-VOBJ-ORIGINAL-TZID"] == ["Asia/Shanghai"]
        assert vobject.icalendar.TimezoneComponent.pickTzid(prop.value.tzinfo) == "Asia/Shanghai"
    assert event.dtstart.value.utcoffset() == datetime.timedelta(hours=8)
    assert event.summary.value == morning_shift.project.title
    assert morning_shift.point.name in event.location.value
    assert event.url.value.endswith(morning_shift.project.get_absolute_url())
    assert event.status.value == "CONFIRMED"
    assert event.dtstamp.value.tzinfo is not None
    assert morning_shift.project.organisation.name in event.description.value


def test_the_feed_carries_its_time_zone_name_and_product(client, signed_up, feed_key):
    response = volunteer_feed(client, feed_key)
    calendar = parse(response)
    assert calendar.vtimezone.tzid.value == "Asia/Shanghai"
    assert calendar.prodid.value.startswith("-//Gongyi//")
    assert calendar.contents["x-wr-calname"][0].value
    assert b"DTSTART;TZID=Asia/Shanghai:" in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_uids_stay_the_same_from_one_fetch_to_the_next(client, signed_up, feed_key):
    first = set(by_uid(parse(volunteer_feed(client, feed_key))))
    second = set(by_uid(parse(volunteer_feed(client, feed_key))))
    assert first == second == {f"signup-{signed_up.pk}@gongyi"}


def test_a_cancelled_signup_is_gone_on_the_next_fetch(client, volunteer, signed_up, feed_key):
    assert len(events(parse(volunteer_feed(client, feed_key)))) == 1
    signup_cancel(actor=volunteer.user, signup=signed_up)
    assert events(parse(volunteer_feed(client, feed_key))) == []


def test_pending_and_waitlisted_signups_are_tentative_and_marked(
    client, volunteer, project, next_month, feed_key
):
    full = make_shift(project, start=shanghai(next_month, 14), capacity=1)
    signup_create(volunteer=make_volunteer(), shift=full)
    waiting = signup_create(volunteer=volunteer, shift=full)
    assert waiting.status == "waitlisted"
    event = by_uid(parse(volunteer_feed(client, feed_key)))[f"signup-{waiting.pk}@gongyi"]
    assert event.status.value == "TENTATIVE"
    assert event.summary.value.startswith("[")


def test_a_revoked_token_answers_404(client, volunteer, signed_up, feed_key):
    services.feed_token_revoke(volunteer=volunteer)
    response = volunteer_feed(client, feed_key)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_reissuing_ends_the_old_url_and_the_new_one_works(client, volunteer, signed_up, feed_key):
    _token, new_key = services.feed_token_issue(volunteer=volunteer)
    assert volunteer_feed(client, feed_key).status_code == 404
    assert len(events(parse(volunteer_feed(client, new_key)))) == 1


def test_another_volunteers_token_never_shows_my_signups(client, signed_up, morning_shift):
    other = make_volunteer(real_name="别人")
    _token, other_key = services.feed_token_issue(volunteer=other)
    calendar = parse(volunteer_feed(client, other_key))
    assert events(calendar) == []
    assert morning_shift.project.title.encode() not in volunteer_feed(client, other_key).content


@pytest.mark.parametrize("key", ["x" * 43, "short", "a" * 65, "bad key with spaces!" * 2])
def test_unknown_or_malformed_tokens_answer_404_or_422(client, signed_up, key):
    response = volunteer_feed(client, key)
    assert response.status_code in (404, 422)


def test_a_closed_accounts_feed_is_gone(client, volunteer, signed_up, feed_key):
    close_account(user=volunteer.user, password=PASSWORD)
    assert volunteer_feed(client, feed_key).status_code == 404


def test_the_feed_covers_a_month_back_and_half_a_year_ahead(client, volunteer, project, feed_key):
    from gongyi.signups.models import Signup

    today = local_today()
    recent = make_shift(project, start=shanghai(today - datetime.timedelta(days=20), 9))
    old = make_shift(project, start=shanghai(today - datetime.timedelta(days=60), 9))
    far = make_shift(project, start=shanghai(today + datetime.timedelta(days=200), 9))
    rows = [Signup(volunteer=volunteer, shift=s, status="confirmed") for s in (recent, old, far)]
    Signup.objects.bulk_create(rows)  # past shifts: no service signs up for those
    uids = set(by_uid(parse(volunteer_feed(client, feed_key))))
    recent_signup = Signup.objects.get(shift=recent)
    assert uids == {f"signup-{recent_signup.pk}@gongyi"}


def test_the_volunteer_feed_costs_a_few_queries_however_many_signups(
    client, volunteer, project, next_month, feed_key, django_assert_max_num_queries
):
    for hour in range(8, 20):
        signup_create(
            volunteer=volunteer,
            shift=make_shift(project, start=shanghai(next_month, hour), hours=1),
        )
    with django_assert_max_num_queries(4):
        calendar = parse(volunteer_feed(client, feed_key))
    assert len(events(calendar)) == 12


def test_fetching_notes_when_a_calendar_app_last_read_the_feed(client, volunteer, feed_key):
    volunteer_feed(client, feed_key)
    token = volunteer.calendar_feed_tokens.get()
    assert token.last_fetched_at is not None


# --- an organisation's public feed ----------------------------------------------------------


def org_feed(client, org):
    return client.get(reverse("api:calendar_org_feed", args=[org.pk]))


def test_the_org_feed_lists_published_shifts_only(client, org, morning_shift, next_month):
    draft = make_project(org, status=Project.Status.DRAFT, published_at=None, title="草稿项目")
    draft_shift = make_shift(draft, start=shanghai(next_month, 15))
    calendar = parse(org_feed(client, org))
    uids = set(by_uid(calendar))
    assert f"shift-{morning_shift.pk}@gongyi" in uids
    assert f"shift-{draft_shift.pk}@gongyi" not in uids
    event = by_uid(calendar)[f"shift-{morning_shift.pk}@gongyi"]
    assert event.dtstart.value.astimezone(UTC) == shanghai(next_month, 9).astimezone(UTC)
    assert calendar.vtimezone.tzid.value == "Asia/Shanghai"


def test_the_org_feed_never_shows_drafts_even_to_the_org_admin(client, org, org_admin, next_month):
    draft = make_project(org, status=Project.Status.DRAFT, published_at=None)
    make_shift(draft, start=shanghai(next_month, 15))
    client.force_login(org_admin)
    assert events(parse(org_feed(client, org))) == []


def test_an_empty_feed_still_defines_its_time_zone(client, org):
    calendar = parse(org_feed(client, org))
    assert events(calendar) == []
    assert calendar.vtimezone.tzid.value == "Asia/Shanghai"


def test_an_unverified_or_unknown_org_has_no_feed(client, district):
    pending = make_org(district, status="pending")
    assert org_feed(client, pending).status_code == 404
    response = client.get("/api/v1/calendar/feeds/orgs/999999.ics")
    assert response.status_code == 404


def test_the_org_feed_is_cached_briefly(client, org, morning_shift, django_assert_max_num_queries):
    parse(org_feed(client, org))
    with django_assert_max_num_queries(1):  # the organisation only
        calendar = parse(org_feed(client, org))
    assert len(events(calendar)) == 1


# --- a saved search's feed ------------------------------------------------------------------


def search_feed(client, search):
    return client.get(reverse("api:calendar_search_feed", args=[search.feed_key]))


@pytest.fixture
def searcher(db):
    from gongyi.testing.people import make_user

    return make_user()


def test_the_search_feed_lists_upcoming_matching_shifts(
    client, searcher, org, other_district, morning_shift, next_month
):
    elsewhere = make_project(make_org(other_district), title="徐汇区项目")
    other_shift = make_shift(elsewhere, start=shanghai(next_month, 9))
    past = make_shift(
        morning_shift.project, start=shanghai(local_today(), 0) - datetime.timedelta(days=3)
    )
    search = services.saved_search_create(
        user=searcher, name="黄浦区", query=f"district={org.district_id}"
    )
    calendar = parse(search_feed(client, search))
    uids = set(by_uid(calendar))
    assert uids == {f"shift-{morning_shift.pk}@gongyi"}
    assert f"shift-{other_shift.pk}@gongyi" not in uids and f"shift-{past.pk}@gongyi" not in uids
    assert calendar.contents["x-wr-calname"][0].value.startswith("黄浦区")


def test_the_search_feed_applies_the_filters_to_each_shift(
    client, searcher, project, morning_shift, next_month
):
    evening = make_shift(project, start=shanghai(next_month, 19))
    search = services.saved_search_create(user=searcher, name="晚上", query="time_of_day=evening")
    assert set(by_uid(parse(search_feed(client, search)))) == {f"shift-{evening.pk}@gongyi"}


def test_a_keyword_search_feed_works(client, searcher, morning_shift):
    from gongyi.projects.search import tokens_for_search

    project = morning_shift.project
    # PostgreSQL derives its vector from search_tokens, SQLite's FTS table follows triggers.
    Project.objects.filter(pk=project.pk).update(search_tokens=tokens_for_search(project.title))
    search = services.saved_search_create(user=searcher, name="手机", query="q=智能手机")
    assert set(by_uid(parse(search_feed(client, search)))) == {f"shift-{morning_shift.pk}@gongyi"}
    nothing = services.saved_search_create(user=searcher, name="无", query="q=航天")
    assert events(parse(search_feed(client, nothing))) == []


def test_an_edited_search_feed_changes_at_once(
    client, searcher, project, morning_shift, next_month
):
    evening = make_shift(project, start=shanghai(next_month, 19))
    search = services.saved_search_create(user=searcher, name="全部", query="")
    assert len(events(parse(search_feed(client, search)))) == 2
    services.saved_search_update(
        actor=searcher, search=search, name="晚上", query="time_of_day=evening"
    )
    assert set(by_uid(parse(search_feed(client, search)))) == {f"shift-{evening.pk}@gongyi"}


def test_a_deleted_or_unknown_search_has_no_feed(client, searcher, morning_shift):
    search = services.saved_search_create(user=searcher, name="x", query="")
    key = search.feed_key
    services.saved_search_delete(actor=searcher, search=search)
    assert client.get(reverse("api:calendar_search_feed", args=[key])).status_code == 404
    assert client.get("/api/v1/calendar/feeds/searches/nope.ics").status_code == 404
    assert not SavedSearch.objects.exists()
