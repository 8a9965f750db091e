"""The public finder: keyword search, filters, sorts, visibility, masking, the project page."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongyi.projects import next_starts, selectors, services
from gongyi.projects.models import Project, Shift
from gongyi.projects.selectors import ProjectFilters
from gongyi.projects.tests.conftest import beneficiary, category, local, make_project
from gongyi.testing.people import make_org


def numbers(filters: ProjectFilters) -> list[str]:
    return list(selectors.public_projects(filters).values_list("number", flat=True))


@pytest.fixture
def three(taxonomy, org, org_admin):
    """Three published projects with different words, places, times and groups."""
    phones = make_project(
        org,
        org_admin,
        title="长者数字生活智能手机培训",
        summary="教老人用手机",
        description="<p>社区活动</p>",
    )
    waste = make_project(
        org,
        org_admin,
        title="社区垃圾分类宣传",
        summary="绿色家园",
        description="<p>宣传垃圾分类</p>",
        category=category("environment"),
        subcategory=category("environment_waste"),
        beneficiaries=[beneficiary("residents")],
        mode="online",
    )
    metro = make_project(
        org,
        org_admin,
        title="地铁站文明引导",
        summary="早高峰引导乘客",
        description="",
        category=category("traffic"),
        subcategory=category("traffic_metro"),
        beneficiaries=[],
    )
    return phones, waste, metro


# --- keyword search (on both databases) -------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("老人", "phones"),
        ("垃圾分类", "waste"),
        ("智能手机", "phones"),
        ("手机", "phones"),
        ("文明引导", "metro"),
    ],
)
def test_keyword_finds_words_and_not_unrelated_projects(three, q, expected):
    phones, waste, metro = three
    by_name = {"phones": phones, "waste": waste, "metro": metro}
    assert numbers(ProjectFilters(q=q)) == [by_name[expected].number]


def test_keyword_without_matches_or_words(three):
    assert numbers(ProjectFilters(q="马拉松")) == []
    assert numbers(ProjectFilters(q="！！ ''\" AND OR *")) == []


def test_keyword_follows_edits(three, org_admin):
    phones, _waste, _metro = three
    services.project_update(
        actor=org_admin, project=phones, title="关爱独居老人", summary="", description=""
    )
    assert numbers(ProjectFilters(q="智能手机")) == []
    assert numbers(ProjectFilters(q="独居")) == [phones.number]


# --- filters ----------------------------------------------------------------------------------


def test_filters_district_category_beneficiary_mode(three, org_admin, other_district):
    phones, waste, metro = three
    assert set(numbers(ProjectFilters(category=category("environment")))) == {waste.number}
    assert numbers(ProjectFilters(category=category("traffic_metro"))) == [metro.number]
    assert numbers(ProjectFilters(beneficiary_id=beneficiary("elderly").pk)) == [phones.number]
    assert numbers(ProjectFilters(mode="online")) == [waste.number]
    services.project_update(actor=org_admin, project=metro, district=other_district)
    assert numbers(ProjectFilters(district_id=other_district.pk)) == [metro.number]
    assert len(numbers(ProjectFilters(district_id=phones.district_id))) == 2


def _only_shift(project: Project, starts: datetime.datetime, hours: int = 3, **extra) -> Shift:
    project.shifts.update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours), **extra
    )
    next_starts.refresh([project.pk])  # the services do this; a raw update must too
    return project.shifts.get()


def test_filters_dates_weekday_time_of_day(three):
    phones, waste, metro = three
    base = timezone.localdate() + datetime.timedelta(days=7)
    saturday = base + datetime.timedelta(days=(6 - base.isoweekday()) % 7)
    _only_shift(phones, local(saturday, 9))  # Saturday morning
    _only_shift(waste, local(saturday + datetime.timedelta(days=2), 14))  # Monday afternoon
    _only_shift(metro, local(saturday + datetime.timedelta(days=3), 19))  # Tuesday evening
    assert numbers(ProjectFilters(weekdays=[6, 7])) == [phones.number]
    assert numbers(ProjectFilters(time_of_day="morning")) == [phones.number]
    assert numbers(ProjectFilters(time_of_day="afternoon")) == [waste.number]
    assert numbers(ProjectFilters(time_of_day="evening")) == [metro.number]
    monday = saturday + datetime.timedelta(days=2)
    assert numbers(ProjectFilters(date_from=monday, date_to=monday)) == [waste.number]
    assert set(numbers(ProjectFilters(date_from=monday))) == {waste.number, metro.number}
    assert numbers(ProjectFilters(date_to=saturday)) == [phones.number]
    # All shift filters must hold for the same shift.
    assert numbers(ProjectFilters(weekdays=[6], time_of_day="evening")) == []
    assert numbers(
        ProjectFilters(date_from=datetime.date(1, 1, 1), date_to=datetime.date(9999, 12, 31))
    )


def test_only_with_places_left(three):
    phones, waste, metro = three
    Shift.objects.filter(project=phones).update(taken=10)  # full
    Shift.objects.filter(project=waste).update(capacity=None)  # unlimited
    past = timezone.now() - datetime.timedelta(days=2)
    Shift.objects.filter(project=metro).update(
        starts_at=past, ends_at=past + datetime.timedelta(hours=2)
    )
    assert numbers(ProjectFilters(places_left=True)) == [waste.number]


# --- sorts ------------------------------------------------------------------------------------


def test_sorts(three):
    phones, waste, metro = three
    assert numbers(ProjectFilters()) == [metro.number, waste.number, phones.number]  # newest first
    soon = timezone.localdate() + datetime.timedelta(days=3)
    _only_shift(phones, local(soon, 8))
    _only_shift(waste, local(soon, 10))
    _only_shift(metro, local(soon, 9))
    assert numbers(ProjectFilters(sort="soon")) == [phones.number, metro.number, waste.number]
    # Near 人民广场 (31.2317, 121.4726): metro's point is there, waste's a bit off, phones' far.
    metro.points.update(latitude=31.2317, longitude=121.4726)
    waste.points.update(latitude=31.25, longitude=121.50)
    phones.points.update(latitude=30.65, longitude=104.06)
    nearest = selectors.public_projects(ProjectFilters(sort="nearest", lat=31.2317, lng=121.4726))
    assert [p.number for p in nearest] == [metro.number, waste.number, phones.number]
    assert selectors.distance_km(nearest[0]) < 0.1
    assert 1000 < selectors.distance_km(nearest[2]) < 2000  # Shanghai to Chengdu ~1,660 km


# --- visibility -------------------------------------------------------------------------------


def test_drafts_and_cancelled_projects_are_invisible_to_the_public(
    three, client, org, org_admin, outsider
):
    phones, waste, _metro = three
    draft = make_project(org, org_admin, publish=False, title="草稿项目")
    Project.objects.filter(pk=waste.pk).update(status=Project.Status.CANCELLED)
    listed = numbers(ProjectFilters())
    assert draft.number not in listed and waste.number not in listed and phones.number in listed
    for viewer in (None, outsider):
        if viewer:
            client.force_login(viewer)
        for hidden in (draft, waste):
            assert client.get(reverse("projects:detail", args=[hidden.number])).status_code == 404
    client.force_login(org_admin)
    assert client.get(reverse("projects:detail", args=[draft.number])).status_code == 200


def test_a_concluded_project_keeps_its_page(project, client, org_admin):
    services.project_close(actor=org_admin, project=project)
    assert project.number not in numbers(ProjectFilters())
    assert client.get(reverse("projects:detail", args=[project.number])).status_code == 200


# --- pages --------------------------------------------------------------------------------------


def test_list_page_in_chinese_by_default_and_english(three, client):
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "志愿服务项目" in text and "长者数字生活智能手机培训" in text
    english = client.get(reverse("projects:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteer service projects" in english


def test_list_page_filters_by_query_string(three, client):
    phones, waste, _metro = three
    response = client.get(
        reverse("projects:list"), {"q": "垃圾分类", "mode": "online", "weekday": ["1", "9"]}
    )
    text = response.content.decode()
    assert waste.title in text and phones.title not in text
    junk = client.get(
        reverse("projects:list"),
        {"date_from": "yesterday", "lat": "x", "page": "-3", "district": "99999999999999999999"},
    )
    assert junk.status_code == 200


def test_list_page_query_count_does_not_grow_with_rows(taxonomy, client, org, org_admin):
    for _ in range(3):
        make_project(org, org_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("projects:list"), {"sort": "soon"})
    for _ in range(5):
        make_project(org, org_admin)
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as more:
        response = client.get(reverse("projects:list"), {"sort": "soon"})
    assert response.content.decode().count('class="card project-card"') == 8
    assert len(more) == len(few) <= 8


def test_list_is_cached_briefly_and_refreshed_on_publish(project, client, org, org_admin):
    assert project.title in client.get(reverse("projects:list")).content.decode()
    newer = make_project(org, org_admin, title="新发布的项目")
    assert newer.title in client.get(reverse("projects:list")).content.decode()


def test_detail_masks_the_contact_for_the_public(project, client, outsider, leader, org_admin):
    url = reverse("projects:detail", args=[project.number])
    for viewer in (None, outsider):
        if viewer:
            client.force_login(viewer)
        text = client.get(url).content.decode()
        assert "袁**" in text and "138****4567" in text
        assert "13812344567" not in text and "袁小明" not in text
    for organiser in (leader, org_admin):
        client.force_login(organiser)
        text = client.get(url).content.decode()
        assert "13812344567" in text and "袁小明" in text


def test_detail_shows_shifts_points_org_and_share_link(project, client):
    text = client.get(reverse("projects:detail", args=[project.number])).content.decode()
    assert "南京东路服务点" in text and project.organisation.name in text
    assert f"http://testserver/projects/{project.number}/" in text
    assert "10 / 10" in text


def test_detail_of_junk_numbers_is_404(db, client):
    for number in ("P000", "nope", "P" + "1" * 40, "P31010120261123%00"):
        assert client.get(f"/projects/{number}/").status_code == 404


def test_other_org_project_invisible_draft_to_other_admins(
    taxonomy, other_district, client, other_org_admin, org, org_admin
):
    draft = make_project(org, org_admin, publish=False)
    client.force_login(other_org_admin)
    assert client.get(reverse("projects:detail", args=[draft.number])).status_code == 404
    make_org(other_district)  # an unrelated organisation changes nothing
    assert client.get(reverse("projects:detail", args=[draft.number])).status_code == 404


def test_each_upcoming_shift_has_a_signup_button_while_recruiting(project, client):
    from django.urls import NoReverseMatch

    shift = project.shifts.get()
    try:
        signup_url = reverse("signups:create", args=[shift.pk])
    except NoReverseMatch:  # the signups app is not there yet: no button, no error
        signup_url = None
    text = client.get(reverse("projects:detail", args=[project.number])).content.decode()
    if signup_url:
        assert f'action="{signup_url}"' in text and ">报名<" in text
    Project.objects.filter(pk=project.pk).update(recruit_end=timezone.now())
    text = client.get(reverse("projects:detail", args=[project.number])).content.decode()
    assert "招募已结束" in text
    if signup_url:
        assert f'action="{signup_url}"' not in text


def test_sqlite_search_index_comes_back_after_a_table_rebuild(three):
    from gongyi.projects.search import ensure_sqlite_index

    if connection.vendor != "sqlite":
        assert ensure_sqlite_index() is False
        return
    assert ensure_sqlite_index() is False  # all there
    with connection.cursor() as cursor:  # what a table-rebuilding migration leaves behind
        cursor.execute("DROP TRIGGER projects_search_ai")
    assert ensure_sqlite_index() is True
    phones, _waste, _metro = three
    assert numbers(ProjectFilters(q="智能手机")) == [phones.number]


def test_next_start_moves_on_when_a_shift_begins(three):
    phones, _waste, _metro = three
    first = _only_shift(phones, timezone.now() + datetime.timedelta(hours=1))
    later = Shift.objects.create(
        project=phones,
        point=first.point,
        starts_at=first.starts_at + datetime.timedelta(days=1),
        ends_at=first.ends_at + datetime.timedelta(days=1),
    )
    phones.refresh_from_db()
    assert phones.next_start == first.starts_at
    two_hours_on = timezone.now() + datetime.timedelta(hours=2)
    cache.delete(next_starts.REFRESH_KEY)
    assert next_starts.refresh_passed(now=two_hours_on) == 1
    assert next_starts.refresh_passed(now=two_hours_on) == 0  # once a minute at most
    phones.refresh_from_db()
    assert phones.next_start == later.starts_at
