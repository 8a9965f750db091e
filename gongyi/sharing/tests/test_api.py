"""The sharing API: share a page, a project's figures (organisers), a project's poster."""

import io

import pytest
from PIL import Image

from gongyi.api import api
from gongyi.core import fonts, images
from gongyi.sharing import services
from gongyi.sharing.models import ShareLink
from gongyi.sharing.tests.conftest import BROWSER, bearer, fake_target

pytestmark = pytest.mark.django_db
API = "/api/v1/share"


def share(client, kind, key, **extra):
    return client.post(f"{API}/{kind}/{key}", content_type="application/json", **extra)


def test_anybody_shares_a_public_project(client, project):
    response = share(client, "project", project.number)
    assert response.status_code == 200
    body = response.json()
    link = ShareLink.objects.get()
    assert body == {
        "kind": "project",
        "key": project.number,
        "code": link.code,
        "short_url": f"http://testserver/s/{link.code}",
        "page_url": f"http://testserver/projects/{project.number}/",
        "title": project.title,
        "description": project.summary,
        "poster_url": f"http://testserver/s/poster/project/{project.number}.png",
        "counted": True,
    }
    again = share(client, "project", project.number).json()
    assert again["code"] == link.code and again["counted"] is False
    link.refresh_from_db()
    assert link.shares == 1


def test_a_token_caller_counts_as_its_account(client, project, volunteer):
    share(client, "project", project.number)
    assert share(client, "project", project.number, **bearer(volunteer.user)).json()["counted"]
    assert not share(client, "project", project.number, **bearer(volunteer.user)).json()["counted"]
    assert ShareLink.objects.get().shares == 2


def test_refusals_are_json_and_change_nothing(client, draft, cancelled):
    for kind, key in (
        ("project", draft.number),
        ("project", cancelled.number),
        ("project", "P310101999999999999"),
        ("card", "V0000000001"),  # not registered (yet)
    ):
        response = share(client, kind, key)
        assert response.status_code == 404 and response.json()["code"] == "not_shareable"
        assert response.json()["message"]
    for kind, key in (("Bad-Kind", "x"), ("project", "k" * 65)):
        assert share(client, kind, key).status_code == 422
    assert not ShareLink.objects.exists()


def test_a_fake_kind_through_the_api(client, fake_kind):
    fake_kind["c1"] = fake_target("c1")
    body = share(client, "fake", "c1").json()
    assert body["page_url"] == "http://testserver/fake/c1/?tab=photos"
    assert body["poster_url"] is None


def test_the_organiser_reads_the_figures(client, project, org_admin):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    services.visit(code=link.code, who="ip:2", user_agent=BROWSER)
    response = client.get(f"{API}/projects/{project.number}/figures", **bearer(org_admin))
    assert response.status_code == 200
    body = response.json()
    assert (body["project_number"], body["shares"], body["visits"]) == (project.number, 1, 1)
    assert body["links"][0]["code"] == link.code and body["links"][0]["kind_label"] == "项目"
    assert body["links"][0]["short_url"] == f"http://testserver/s/{link.code}"


def test_figures_refuse_visitors_and_outsiders(client, project, draft, outsider, leader):
    url = f"{API}/projects/{project.number}/figures"
    assert client.get(url).status_code == 401
    for someone in (outsider, leader):
        refused = client.get(url, **bearer(someone))
        assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    hidden = client.get(f"{API}/projects/{draft.number}/figures", **bearer(outsider))
    assert hidden.status_code == 404
    junk = client.get(f"{API}/projects/nope/figures", **bearer(outsider))
    assert junk.status_code == 404 and junk.json()["code"] == "not_found"
    assert client.get(f"{API}/projects/{'P' * 40}/figures", **bearer(outsider)).status_code == 422


def test_the_poster_through_the_api(client, project, draft, cjk_font):
    response = client.get(f"{API}/poster/project/{project.number}")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (750, 1000)
    assert response["ETag"]
    missing = client.get(f"{API}/poster/project/{draft.number}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_poster_without_font_is_a_json_503(client, project, monkeypatch):
    monkeypatch.setattr(fonts, "find_font", lambda: None)
    images.font.cache_clear()
    try:
        response = client.get(f"{API}/poster/project/{project.number}")
    finally:
        images.font.cache_clear()
    assert response.status_code == 503
    assert response.json()["code"] == "font_missing" and "字体" in response.json()["message"]


def test_the_operations_are_in_the_openapi_schema():
    paths = api.get_openapi_schema()["paths"]
    assert "post" in paths["/api/v1/share/{kind}/{key}"]
    assert "get" in paths["/api/v1/share/projects/{number}/figures"]
    poster = paths["/api/v1/share/poster/project/{number}"]["get"]
    assert "image/png" in poster["responses"][200]["content"]
    assert set(poster["responses"]) >= {200, 404, 503}
