"""The demo builder's calendars, and the services' own rules (one live token, the filters
kept, the limits)."""

import pytest
from django.db import IntegrityError, transaction

from gongyi.accounts.models import User
from gongyi.calendars import services
from gongyi.calendars.demo import DEMO_VOLUNTEER_PHONE, build_demo_calendars
from gongyi.calendars.models import FeedToken, SavedSearch
from gongyi.calendars.selectors import normalise_query
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.testing.people import make_user, make_volunteer


def test_the_demo_gives_the_named_volunteer_a_feed_and_searches(client, district):
    volunteer = make_volunteer(User.objects.create_user(DEMO_VOLUNTEER_PHONE, "Demo-2026"))
    paths = build_demo_calendars()
    assert client.get(paths["volunteer_feed"]).status_code == 200
    assert client.get(paths["黄浦区周末"]).status_code == 200
    assert client.get(paths["线上晚间服务"]).status_code == 200
    searches = SavedSearch.objects.filter(user=volunteer.user)
    assert searches.get(name="黄浦区周末").query == f"district={district.pk}&weekday=6&weekday=7"
    again = build_demo_calendars()  # safe to run twice: same searches, a new feed URL
    assert SavedSearch.objects.count() == 2
    assert client.get(paths["volunteer_feed"]).status_code == 404
    assert client.get(again["volunteer_feed"]).status_code == 200


def test_the_demo_does_nothing_without_its_volunteer(db):
    assert build_demo_calendars() == {}
    assert not FeedToken.objects.exists()


def test_the_database_holds_one_live_token_per_volunteer(volunteer):
    services.feed_token_issue(volunteer=volunteer)
    live = FeedToken.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedToken.objects.create(volunteer=volunteer, key_hash="x" * 64, prefix="x")
    assert FeedToken.objects.get() == live


def test_only_the_hash_of_the_key_is_stored(volunteer):
    token, key = services.feed_token_issue(volunteer=volunteer)
    assert key not in token.key_hash and len(key) >= 40
    assert token.prefix == key[:8]


def test_revoking_twice_is_harmless(volunteer):
    services.feed_token_issue(volunteer=volunteer)
    assert services.feed_token_revoke(volunteer=volunteer) == 1
    assert services.feed_token_revoke(volunteer=volunteer) == 0


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("", ""),
        ("?mode=online", "mode=online"),
        ("q=+老人+&sort=nearest&lat=31&lng=121", "q=%E8%80%81%E4%BA%BA"),
        ("places_left=on&page=3", "places_left=1"),
        ("weekday=1&weekday=7&time_of_day=night", "weekday=1&weekday=7"),
        ("date_from=2026-12-01&date_to=nope", "date_from=2026-12-01"),
        ("mode=online&" + "x=1&" * 600, "mode=online"),
    ],
)
def test_only_the_finders_valid_filters_are_kept(db, raw, kept):
    assert normalise_query(raw) == kept


def test_a_search_is_changed_only_by_its_owner(outsider):
    owner = make_user()
    search = services.saved_search_create(user=owner, name="a", query="")
    with pytest.raises(NotAllowed):
        services.saved_search_update(actor=outsider, search=search, name="b", query="")
    with pytest.raises(NotAllowed):
        services.saved_search_delete(actor=outsider, search=search)
    search.refresh_from_db()
    assert search.name == "a"


def test_too_long_filters_are_refused(outsider):
    with pytest.raises(ServiceError) as refused:
        services.saved_search_create(user=outsider, name="a", query="q=" + "x" * 1000)
    assert refused.value.field == "query"
    assert not SavedSearch.objects.exists()


def test_saved_filters_are_described_in_words(db):
    from django.utils import translation

    from gongyi.calendars.selectors import describe_filters

    query = "q=老人&weekday=6&weekday=7&time_of_day=evening&places_left=1&mode=online"
    with translation.override("zh-hans"):
        words = ["“老人”", "线上", "星期六、星期日", "晚上", "只看还有名额的"]
        assert describe_filters(query) == words
    with translation.override("en"):
        assert describe_filters(query)[1:4] == ["Online", "Saturday, Sunday", "Evening"]
