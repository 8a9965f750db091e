"""The pages that hand out feed URLs: my private feed (issue, re-issue, revoke) and my
saved searches (create, edit, delete; the owner alone)."""

import re

import pytest
from django.urls import reverse

from gongyi.calendars import services
from gongyi.calendars.models import FeedToken, SavedSearch
from gongyi.core.models import AuditEntry
from gongyi.testing.people import make_user

FEED = reverse("calendars:feed")
ISSUE = reverse("calendars:feed_issue")
REVOKE = reverse("calendars:feed_revoke")
SEARCHES = reverse("calendars:searches")
FEED_URL_RE = re.compile(r'value="(http://testserver/api/v1/calendar/feeds/volunteers/[^"]+\.ics)"')


def edit_url(search) -> str:
    return reverse("calendars:search_edit", args=[search.pk])


def delete_url(search) -> str:
    return reverse("calendars:search_delete", args=[search.pk])


# --- my private feed URL --------------------------------------------------------------------


@pytest.mark.parametrize("url", [FEED, ISSUE, REVOKE, SEARCHES])
def test_a_visitor_is_sent_to_log_in(db, client, url):
    response = client.post(url) if url in (ISSUE, REVOKE) else client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_issuing_shows_the_url_once_and_it_works(client, volunteer):
    client.force_login(volunteer.user)
    response = client.post(ISSUE)
    assert response.status_code == 200
    url = FEED_URL_RE.search(response.content.decode())[1]
    assert "webcal://testserver/api/v1/calendar/feeds/volunteers/" in response.content.decode()
    assert client.get(url).status_code == 200
    again = client.get(FEED).content.decode()
    assert not FEED_URL_RE.search(again)  # never shown again: only its hash is kept
    token = FeedToken.objects.get(volunteer=volunteer)
    assert token.prefix in again and token.key_hash not in url
    assert AuditEntry.objects.filter(action="calendar.feed_issued").count() == 1


def test_reissuing_from_the_page_ends_the_old_url(client, volunteer):
    client.force_login(volunteer.user)
    first = FEED_URL_RE.search(client.post(ISSUE).content.decode())[1]
    second = FEED_URL_RE.search(client.post(ISSUE).content.decode())[1]
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert FeedToken.objects.filter(volunteer=volunteer, revoked_at__isnull=True).count() == 1


def test_revoking_from_the_page_makes_the_url_answer_404(client, volunteer):
    client.force_login(volunteer.user)
    url = FEED_URL_RE.search(client.post(ISSUE).content.decode())[1]
    response = client.post(REVOKE)
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert "calendars:feed_issue" not in client.get(FEED).content.decode()
    assert not FeedToken.objects.filter(revoked_at__isnull=True).exists()


def test_an_account_without_a_volunteer_profile_gets_no_feed(client, outsider):
    client.force_login(outsider)
    assert client.get(FEED).status_code == 200
    assert client.post(ISSUE).status_code == 400
    assert client.post(REVOKE).status_code == 302
    assert not FeedToken.objects.exists()


def test_the_feed_page_only_takes_posts_to_change(client, volunteer):
    client.force_login(volunteer.user)
    assert client.get(ISSUE).status_code == 405
    assert client.get(REVOKE).status_code == 405
    assert not FeedToken.objects.exists()


# --- saved searches -------------------------------------------------------------------------


def test_saving_a_search_keeps_only_the_finders_valid_filters(client, outsider, district):
    client.force_login(outsider)
    junk = "weekday=6&weekday=9&month=2026-11&evil=<script>"
    query = f"district={district.pk}&{junk}&time_of_day=evening"
    response = client.post(SEARCHES, {"name": "周末晚上", "query": query})
    assert response.status_code == 302
    search = SavedSearch.objects.get(user=outsider)
    assert search.query == f"district={district.pk}&time_of_day=evening"
    page = client.get(SEARCHES).content.decode()
    assert "周末晚上" in page
    assert f"{district.name} · 晚上" in page  # the filters in words, not the raw query
    assert reverse("api:calendar_search_feed", args=[search.feed_key]) in page
    assert "webcal://" in page


def test_a_search_without_a_name_is_refused_and_nothing_is_saved(client, outsider):
    client.force_login(outsider)
    for name in ("", "   ", "x" * 61):
        response = client.post(SEARCHES, {"name": name, "query": "mode=online"})
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_too_many_saved_searches_are_refused(client, outsider):
    for n in range(services.MAX_SEARCHES):
        SavedSearch.objects.create(user=outsider, name=f"s{n}")
    client.force_login(outsider)
    response = client.post(SEARCHES, {"name": "one more", "query": ""})
    assert response.status_code == 400
    assert SavedSearch.objects.count() == services.MAX_SEARCHES


def test_the_owner_renames_and_changes_a_search(client, outsider):
    search = services.saved_search_create(user=outsider, name="旧", query="mode=online")
    client.force_login(outsider)
    assert client.get(edit_url(search)).status_code == 200
    response = client.post(edit_url(search), {"name": "新", "query": "mode=onsite"})
    assert response.status_code == 302
    search.refresh_from_db()
    assert (search.name, search.query) == ("新", "mode=onsite")


def test_a_bad_edit_changes_nothing(client, outsider):
    search = services.saved_search_create(user=outsider, name="旧", query="mode=online")
    client.force_login(outsider)
    response = client.post(edit_url(search), {"name": "", "query": "mode=onsite"})
    assert response.status_code == 400
    search.refresh_from_db()
    assert (search.name, search.query) == ("旧", "mode=online")


def test_the_owner_deletes_a_search(client, outsider):
    search = services.saved_search_create(user=outsider, name="旧", query="")
    client.force_login(outsider)
    assert client.post(delete_url(search)).status_code == 302
    assert not SavedSearch.objects.exists()


def test_an_outsider_can_neither_see_nor_change_nor_delete_someone_elses_search(client, outsider):
    owner = make_user()
    search = services.saved_search_create(user=owner, name="秘密搜索", query="mode=online")
    client.force_login(outsider)
    assert client.get(edit_url(search)).status_code == 403
    assert client.post(edit_url(search), {"name": "偷改", "query": ""}).status_code == 403
    assert client.post(delete_url(search)).status_code == 403
    assert "秘密搜索" not in client.get(SEARCHES).content.decode()
    search.refresh_from_db()
    assert search.name == "秘密搜索"


def test_an_unknown_search_is_404(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("calendars:search_edit", args=[999999])).status_code == 404
    assert client.post(reverse("calendars:search_delete", args=[999999])).status_code == 404


def test_the_searches_page_reads_few_queries(client, outsider, django_assert_max_num_queries):
    for n in range(10):
        services.saved_search_create(user=outsider, name=f"s{n}", query="mode=online")
    client.force_login(outsider)
    client.get(SEARCHES)  # the finder's option lists are cached from here on
    with django_assert_max_num_queries(8):  # session, user, nav badges, the list
        html = client.get(SEARCHES).content.decode()
    assert html.count("webcal://") == 10
