"""The public project calendar: month and week views with the project finder's filters."""

import datetime

import pytest
from django.urls import reverse

from gongyi.calendars.tests.conftest import make_project, make_shift, shanghai
from gongyi.projects.models import Project
from gongyi.testing.people import make_org

URL = reverse("calendars:public")


def month(day: datetime.date) -> dict:
    return {"month": f"{day:%Y-%m}"}


def week(day: datetime.date) -> dict:
    year, number, _ = day.isocalendar()
    return {"week": f"{year}-W{number:02d}"}


def day_html(response, day: datetime.date) -> str:
    """The HTML of one day's cell."""
    html = response.content.decode()
    start = html.index(f'id="d{day:%Y%m%d}"')
    end = html.find('<li id="d', start + 1)
    return html[start : end if end != -1 else len(html)]


def test_a_month_shows_each_shift_on_its_day_with_time_place_and_places(
    client, morning_shift, next_month
):
    response = client.get(URL, month(next_month))
    assert response.status_code == 200
    cell = day_html(response, next_month)
    assert "09:00–12:00" in cell
    assert morning_shift.project.title in cell
    assert morning_shift.point.name in cell
    assert morning_shift.project.get_absolute_url() in cell
    assert "5" in cell  # places left


def test_the_day_is_the_shanghai_day_not_the_utc_one(client, project, next_month):
    early = make_shift(project, start=shanghai(next_month, 7))  # 23:00 UTC the day before
    assert early.starts_at.astimezone(datetime.UTC).date() == next_month - datetime.timedelta(1)
    response = client.get(URL, month(next_month))
    assert "07:00" in day_html(response, next_month)
    assert "07:00" not in day_html(response, next_month - datetime.timedelta(days=1))


def test_drafts_and_cancelled_projects_stay_off_the_public_calendar(client, org, next_month):
    for status in (Project.Status.DRAFT, Project.Status.CANCELLED):
        hidden = make_project(org, status=status, title=f"隐藏{status}")
        make_shift(hidden, start=shanghai(next_month, 10))
    response = client.get(URL, month(next_month))
    assert "隐藏" not in response.content.decode()


def test_the_finders_district_filter_applies(client, morning_shift, other_district, next_month):
    elsewhere = make_project(make_org(other_district), title="徐汇区的项目")
    make_shift(elsewhere, start=shanghai(next_month, 10))
    district = morning_shift.project.district_id
    html = client.get(URL, {**month(next_month), "district": district}).content.decode()
    assert morning_shift.project.title in html
    assert "徐汇区的项目" not in html


def test_the_weekday_and_time_filters_apply_to_each_shift(client, project, next_month):
    make_shift(project, start=shanghai(next_month, 9))
    other_day = next_month + datetime.timedelta(days=1)
    make_shift(project, start=shanghai(other_day, 19))
    weekday = next_month.isoweekday()
    html = client.get(URL, {**month(next_month), "weekday": weekday}).content.decode()
    assert "09:00" in html and "19:00" not in html
    html = client.get(URL, {**month(next_month), "time_of_day": "evening"}).content.decode()
    assert "19:00" in html and "09:00" not in html


def test_places_left_hides_full_shifts(client, project, next_month):
    make_shift(project, start=shanghai(next_month, 9), capacity=1, taken=1)
    make_shift(project, start=shanghai(next_month, 14), capacity=3)
    html = client.get(URL, {**month(next_month), "places_left": "on"}).content.decode()
    assert "14:00" in html and "09:00" not in html


def test_a_keyword_that_matches_nothing_shows_nothing(client, morning_shift, next_month):
    html = client.get(URL, {**month(next_month), "q": "航天飞机"}).content.decode()
    assert morning_shift.project.title not in html.split("cal-days")[1]


def test_invalid_filters_are_ignored_like_in_the_finder(client, morning_shift, next_month):
    query = {**month(next_month), "district": "nope", "weekday": "9", "mode": "x"}
    response = client.get(URL, query)
    assert response.status_code == 200
    assert morning_shift.project.title in day_html(response, next_month)


def test_the_rarer_filters_unfold_when_one_is_in_use(db, client, next_month):
    folded = client.get(URL, month(next_month)).content.decode()
    assert "more-filters" in folded and 'more-filters" open' not in folded
    used = client.get(URL, {**month(next_month), "mode": "online"}).content.decode()
    assert 'more-filters" open' in used


def test_the_week_view_shows_the_week(client, morning_shift, next_month):
    response = client.get(URL, week(next_month))
    assert response.status_code == 200
    assert "cal-week" in response.content.decode()
    assert morning_shift.project.title in day_html(response, next_month)


def test_navigation_keeps_the_filters(client, morning_shift, next_month):
    district = morning_shift.project.district_id
    html = client.get(URL, {**month(next_month), "district": district}).content.decode()
    following = (next_month.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
    assert f"?district={district}&amp;month={following}" in html
    assert 'rel="prev"' in html


@pytest.mark.parametrize(
    "query", [{"month": "2026-13"}, {"month": "junk"}, {"week": "2026-W60"}, {"month": "1800-01"}]
)
def test_a_bad_month_or_week_says_so_and_shows_the_current_one(db, client, query):
    response = client.get(URL, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="msg error"' in html
    assert "showing" in html or "covers the years" in html
    assert "cal-days" in html  # the calendar is still there


def test_a_busy_day_shows_a_few_and_links_to_its_week(client, project, next_month):
    for minute in range(6):
        make_shift(project, start=shanghai(next_month, 8, minute * 5), hours=1)
    response = client.get(URL, month(next_month))
    cell = day_html(response, next_month)
    assert cell.count('class="cal-entry') == 4
    assert "cal-more" in cell and f"#d{next_month:%Y%m%d}" in cell
    week_cell = day_html(client.get(URL, week(next_month)), next_month)
    assert week_cell.count('class="cal-entry') == 6


def test_a_very_busy_week_day_links_to_the_finder_on_that_day(client, project, next_month):
    for n in range(32):
        make_shift(project, start=shanghai(next_month, 6) + datetime.timedelta(minutes=10 * n))
    cell = day_html(client.get(URL, week(next_month)), next_month)
    assert cell.count('class="cal-entry') == 30
    assert f"date_from={next_month}" in cell and reverse("projects:list") in cell


def test_the_page_costs_the_same_few_queries_however_many_shifts(
    client, org, next_month, django_assert_max_num_queries
):
    for n in range(15):
        project = make_project(org, title=f"项目{n}")
        make_shift(project, start=shanghai(next_month + datetime.timedelta(days=n % 7), 9 + n % 5))
    client.get(URL, month(next_month))  # the filter options are cached from here on
    with django_assert_max_num_queries(4):
        response = client.get(URL, {**month(next_month), "district": org.district_id})
    assert response.content.decode().count('class="cal-entry') == 15


def test_english_works(client, morning_shift, next_month):
    english = client.get(URL, month(next_month), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(URL, month(next_month)).content.decode()
    assert "Project calendar" in english and "Next month" in english
    assert "项目日历" in chinese and "下个月" in chinese


def test_a_signed_in_user_can_save_the_search(client, outsider, next_month):
    client.force_login(outsider)
    html = client.get(URL, {**month(next_month), "time_of_day": "evening"}).content.decode()
    assert reverse("calendars:searches") in html
    assert 'name="query" value="time_of_day=evening"' in html


def test_a_visitor_is_asked_to_log_in_to_save(db, client, next_month):
    html = client.get(URL, month(next_month)).content.decode()
    assert reverse("accounts:login") in html
    assert 'name="query"' not in html


def test_the_page_only_reads(db, client):
    assert client.post(URL).status_code == 405
