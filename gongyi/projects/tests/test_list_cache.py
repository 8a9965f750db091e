"""The project finder is served to anonymous visitors from a short full-page cache."""

from django.test import Client
from django.urls import reverse

from gongyi.projects.tests.conftest import make_project


def test_anonymous_visitors_share_one_cached_page(project, client, django_assert_num_queries):
    first = client.get(reverse("projects:list"), {"q": "老人"})
    assert first.status_code == 200 and project.title in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(reverse("projects:list"), {"q": "老人"})
    assert again.content == first.content
    assert "Cookie" in again["Vary"] and "Accept-Language" in again["Vary"]


def test_cached_page_carries_no_csrf_token_and_sets_no_cookie(project, client):
    response = client.get(reverse("projects:list"))
    text = response.content.decode()
    assert "csrfmiddlewaretoken" not in text and "X-CSRFToken" not in text
    assert "csrftoken" not in response.cookies


def test_each_language_has_its_own_copy(project, client):
    chinese = client.get(reverse("projects:list")).content.decode()
    english = client.get(reverse("projects:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "志愿服务项目" in chinese and "Volunteer service projects" in english


def test_logged_in_people_never_get_the_shared_copy(project, client, volunteer):
    client.get(reverse("projects:list"))  # fills the cache for visitors
    client.force_login(volunteer.user)
    text = client.get(reverse("projects:list")).content.decode()
    assert reverse("signups:mine") in text and "X-CSRFToken" in text


def test_publishing_is_seen_at_once(project, client, org, org_admin):
    client.get(reverse("projects:list"))
    newer = make_project(org, org_admin, title="刚刚发布的项目")
    assert newer.title in client.get(reverse("projects:list")).content.decode()


def test_language_switch_needs_no_csrf_token(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "en", "next": "/projects/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert "Volunteer service projects" in strict.get(reverse("projects:list")).content.decode()
