"""The pages: short links, the share button (with and without htmx), meta tags, figures."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from gongyi.sharing import services
from gongyi.sharing.models import ShareLink
from gongyi.sharing.project_kind import project_target
from gongyi.sharing.tests.conftest import BROWSER, fake_target

pytestmark = pytest.mark.django_db


def share_url(kind: str, key: str) -> str:
    return reverse("sharing:share", args=[kind, key])


def figures_url(project) -> str:
    return reverse("sharing:project_figures", args=[project.number])


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert found, name
    return found[1]


# --- the short link -------------------------------------------------------------------------


def test_a_short_link_redirects_to_the_page_and_counts_the_visit(client, project):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    response = client.get(f"/s/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.number}/?from=share"
    assert response["Cache-Control"] == "no-store"
    assert client.get(f"/s/{link.code.lower()}/", HTTP_USER_AGENT=BROWSER).status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and project.title in page.content.decode()
    link.refresh_from_db()
    assert link.visits == 1  # the same address twice in the window


def test_a_head_request_and_a_preview_bot_are_not_counted(client, project):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    assert client.head(f"/s/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 302
    bot = client.get(f"/s/{link.code}", HTTP_USER_AGENT="TelegramBot (like TwitterBot)")
    assert bot.status_code == 302  # the preview still reaches the page and its meta tags
    link.refresh_from_db()
    assert link.visits == 0


def test_an_unknown_code_is_a_404_page(client, db):
    for path in ("/s/ABCDEFG", "/s/nothing/", "/s/%00"):
        response = client.get(path, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 404
    assert "分享链接不存在" in client.get("/s/ABCDEFG").content.decode()


def test_a_short_link_refuses_other_methods(client, project):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    assert client.post(f"/s/{link.code}").status_code == 405
    link.refresh_from_db()
    assert link.visits == 0


# --- the share button -----------------------------------------------------------------------


def test_a_visitor_shares_without_logging_in_or_javascript(project):
    client = Client(enforce_csrf_checks=True)  # as a browser posts the plain form
    response = client.post(share_url("project", project.number))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    link = ShareLink.objects.get()
    text = response.content.decode()
    assert f"http://testserver/s/{link.code}" in text and "<html" in text
    assert f'<img class="share-poster" src="/s/poster/project/{project.number}.png"' in text
    assert link.shares == 1


def test_htmx_gets_the_fragment_with_the_short_link(client, project):
    response = client.post(share_url("project", project.number), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    link = ShareLink.objects.get()
    assert response.status_code == 200 and "<html" not in text
    assert f'value="http://testserver/s/{link.code}"' in text
    assert "data-share-native" in text and "data-share-copy" in text


def test_pressing_again_and_again_counts_once(client, volunteer, project):
    for _ in range(5):
        client.post(share_url("project", project.number))
    client.force_login(volunteer.user)
    client.post(share_url("project", project.number))
    assert ShareLink.objects.get().shares == 2  # the address once, the account once


def test_drafts_and_unknown_pages_cannot_be_shared(client, draft, org_admin):
    for kind, key in (("project", draft.number), ("project", "P310101999999999999"), ("x", "y")):
        response = client.post(share_url(kind, key))
        assert response.status_code == 404
    client.force_login(org_admin)  # its own organiser neither: it is not public yet
    assert client.post(share_url("project", draft.number)).status_code == 404
    assert not ShareLink.objects.exists()


def test_the_share_address_takes_no_get(client, project):
    assert client.get(share_url("project", project.number)).status_code == 405
    assert not ShareLink.objects.exists()


def test_a_fake_kind_is_shared_from_its_own_page(client, fake_kind):
    fake_kind["c1"] = fake_target("c1")
    response = client.post(share_url("fake", "c1"))
    assert response.status_code == 200 and "假页面c1" in response.content.decode()
    code = ShareLink.objects.get(kind="fake").code
    assert client.get(f"/s/{code}", HTTP_USER_AGENT=BROWSER)["Location"] == (
        "/fake/c1/?tab=photos&from=share"
    )


# --- the project page: meta tags and the panel ----------------------------------------------


def test_the_project_page_has_preview_meta_tags_and_the_share_panel(client, project):
    html = client.get(project.get_absolute_url()).content.decode()
    page = f"http://testserver/projects/{project.number}/"
    assert meta(html, "og:title") == project.title
    assert meta(html, "og:description") == project.summary == meta(html, "description")
    assert meta(html, "og:url") == page
    poster = f"http://testserver/s/poster/project/{project.number}.png"
    assert meta(html, "og:image") == poster == meta(html, "twitter:image")
    assert meta(html, "og:type") == "website"
    assert meta(html, "twitter:card") == "summary_large_image"
    assert f'action="{share_url("project", project.number)}"' in html
    assert f'hx-post="{share_url("project", project.number)}"' in html
    assert f'href="/s/poster/project/{project.number}.png" download' in html
    assert "sharing/share.js" in html and "<script>" not in html  # no inline script (CSP)
    assert "分享" in html and "下载海报" in html


def test_the_panel_and_meta_are_the_same_for_everybody(project, volunteer):
    """The project page may be served from the anonymous page cache: nothing per visitor."""
    target = project_target(project)

    def render(user, ip):
        request = RequestFactory().get(project.get_absolute_url(), REMOTE_ADDR=ip)
        request.user = user
        request.public_page_cache = True
        context = {"share": target}
        return [
            render_to_string(t, context, request)
            for t in ("sharing/_meta.html", "sharing/_share.html")
        ]

    anonymous = render(AnonymousUser(), "10.0.0.1")
    assert anonymous == render(volunteer.user, "10.0.0.2")
    assert "csrf" not in "".join(anonymous).lower()


def test_english_visitors_get_english_labels(client, project):
    html = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Download the poster" in html and "Get a short link to share" in html
    assert meta(html, "og:locale") == "en_GB"


def test_a_draft_shows_no_share_button_to_its_organiser(client, draft, org_admin):
    client.force_login(org_admin)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert share_url("project", draft.number) not in html
    assert "公开后即可分享" in html


# --- the organiser's figures ----------------------------------------------------------------


def test_the_organiser_sees_shares_and_visits(client, project, org_admin, fake_kind):
    fake_kind["s1"] = fake_target("s1", project_id=project.pk)
    link = services.share(kind="project", key=project.number, who="ip:1").link
    services.share(kind="project", key=project.number, who="ip:2")
    services.share(kind="fake", key="s1", who="ip:1")
    services.visit(code=link.code, who="ip:3", user_agent=BROWSER)
    client.force_login(org_admin)
    response = client.get(figures_url(project))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.shares, figures.visits) == (3, 1)
    html = response.content.decode()
    assert f"http://testserver/s/{link.code}" in html and "Fake page · s1" in html
    assert "分享统计" in html
    detail = client.get(project.get_absolute_url()).content.decode()
    assert figures_url(project) in detail  # linked from the organiser's actions


def test_figures_list_has_no_n_plus_one(
    client, project, org_admin, fake_kind, django_assert_max_num_queries
):
    for n in range(30):
        fake_kind[f"s{n}"] = fake_target(f"s{n}", project_id=project.pk)
        services.share(kind="fake", key=f"s{n}", who="ip:1")
    client.force_login(org_admin)
    with django_assert_max_num_queries(10):
        response = client.get(figures_url(project))
    assert len(response.context["figures"].links) == 30


def test_outsiders_and_leaders_cannot_see_figures(client, project, outsider, leader, volunteer):
    for someone in (outsider, leader, volunteer.user):
        client.force_login(someone)
        assert client.get(figures_url(project)).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, project):
    response = client.get(figures_url(project))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_figures_of_a_draft_are_hidden_from_outsiders(client, draft, outsider, org_admin):
    client.force_login(outsider)
    assert client.get(figures_url(draft)).status_code == 404
    assert client.get("/s/project/nope/figures/").status_code == 404
    client.force_login(org_admin)
    response = client.get(figures_url(draft))
    assert response.status_code == 200 and "还没有人分享" in response.content.decode()
