"""The finder, a project's page and the API lists read a fixed number of times, whatever the
number of projects, shifts or service points (no query per row)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongyi.projects import services
from gongyi.projects.tests.conftest import make_project


def queries(client, url: str) -> int:
    services.list_changed()  # past the finder's short cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_no_query_per_project_shift_or_point(client, project, org, org_admin, volunteer):
    client.force_login(volunteer.user)
    urls = [
        reverse("projects:list"),
        reverse("projects:list") + "?sort=soon&q=老人&places_left=on",
        reverse("projects:list") + "?sort=nearest&lat=31.23&lng=121.47",
        project.get_absolute_url(),
        "/api/v1/projects/",
        f"/api/v1/projects/{project.number}/shifts",
        f"/api/v1/projects/{project.number}/points",
    ]
    queries(client, urls[0])  # the once-a-minute refresh of next_start
    few = [queries(client, url) for url in urls]
    for _ in range(4):
        make_project(org, org_admin, shifts=3)
    for n in range(3):
        services.point_create(actor=org_admin, project=project, name=f"服务点{n}")
    assert [queries(client, url) for url in urls] == few
