"""The "team members only" picker: a search (htmx) over verified teams, never a list of all."""

import pytest
from django.urls import reverse

from gongyi.orgs.models import Organisation
from gongyi.projects.tests.test_pages import project_post
from gongyi.testing.people import make_org

SEARCH, PICK = "projects:team_search", "projects:team_pick"


def team(district, name: str, **extra) -> Organisation:
    return make_org(district, name=name, kind=Organisation.Kind.PROFESSIONAL_TEAM, **extra)


@pytest.fixture
def teams(district, other_district):
    """Verified teams in two districts, plus ones the picker must never offer."""
    return {
        "here": team(district, "黄浦助老服务队"),
        "there": team(other_district, "徐汇助老服务队"),
        "other": team(district, "黄浦环保服务队"),
        "pending": team(district, "助老待审核队", status=Organisation.Status.PENDING),
        "association": make_org(district, name="助老协会"),  # not a team
    }


def search(client, **params):
    return client.get(reverse(SEARCH), params)


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    for name in (SEARCH, PICK):
        response = client.get(reverse(name), {"team_q": "助老", "team": 1})
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "member", "leader", "volunteer"])
def test_people_without_an_admin_role_are_refused(request, client, org, teams, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert search(client, team_q="助老").status_code == 403
    assert client.get(reverse(PICK), {"team": teams["here"].pk}).status_code == 403


def test_search_lists_verified_teams_by_name_the_district_first(client, org_admin, org, teams):
    client.force_login(org_admin)
    page = search(client, team_q="助老", district=org.district_id).content.decode()
    assert "黄浦助老服务队" in page and "徐汇助老服务队" in page
    assert page.index("黄浦助老服务队") < page.index("徐汇助老服务队")
    for absent in ("黄浦环保服务队", "助老待审核队", "助老协会", "<html"):
        assert absent not in page
    page = search(client, team_q="助老", district=teams["there"].district_id).content.decode()
    assert page.index("徐汇助老服务队") < page.index("黄浦助老服务队")


def test_chosen_teams_are_not_listed_again(client, org_admin, org, teams):
    client.force_login(org_admin)
    page = search(client, team_q="助老", teams_only=[teams["here"].pk]).content.decode()
    assert "黄浦助老服务队" not in page and "徐汇助老服务队" in page


def test_search_is_limited_and_says_so(client, org_admin, org, district):
    for n in range(25):
        team(district, f"第{n:02d}志愿服务队")
    client.force_login(org_admin)
    page = search(client, team_q="志愿服务队").content.decode()
    assert page.count('name="teams_only"') == 20 and "仅显示前 20 个队伍" in page
    assert "没有名称包含" in search(client, team_q="不存在的名字").content.decode()
    assert 'name="teams_only"' not in search(client, team_q="  ").content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"team_q": "助老\x00", "district": "x"},
        {"team_q": "队" * 500, "teams_only": ["abc", "²", "9" * 30, "-1", "9" * 5000]},
        {"team_q": "%_", "district": "99999999999999999999999"},
    ],
)
def test_junk_input_is_answered_calmly(client, org_admin, org, teams, params):
    client.force_login(org_admin)
    assert search(client, **params).status_code == 200


def test_pick_gives_the_chosen_line_and_removes_the_hit(client, org_admin, org, teams):
    client.force_login(org_admin)
    response = client.get(reverse(PICK), {"team": teams["there"].pk})
    page = response.content.decode()
    assert response.status_code == 200 and "徐汇助老服务队" in page
    assert f'value="{teams["there"].pk}" checked' in page
    assert f'id="team-hit-{teams["there"].pk}" hx-swap-oob="delete"' in page
    for bad in (teams["pending"].pk, teams["association"].pk, "abc", "9" * 30, ""):
        assert client.get(reverse(PICK), {"team": bad}).status_code == 404


def test_the_form_shows_only_the_chosen_teams_and_saves_ids(
    client, org_admin, org, district, project, teams
):
    project.teams_only.set([teams["here"]])
    client.force_login(org_admin)
    edit_url = reverse("projects:edit", args=[project.number])
    page = client.get(edit_url).content.decode()
    assert f'value="{teams["here"].pk}" checked' in page
    assert "徐汇助老服务队" not in page and "黄浦环保服务队" not in page  # no list of every team
    assert f'hx-get="{reverse(SEARCH)}"' in page and 'form="team-search"' in page

    chosen = [teams["there"].pk, teams["other"].pk]
    response = client.post(edit_url, project_post(district, teams_only=chosen))
    assert response.status_code == 302
    assert set(project.teams_only.values_list("pk", flat=True)) == set(chosen)


@pytest.mark.parametrize("bad", ["pending", "association", "junk", "too_many"])
def test_only_verified_teams_are_accepted_and_nothing_changes(
    client, org_admin, district, project, teams, bad
):
    project.teams_only.set([teams["here"]])
    ids = {
        "pending": [teams["pending"].pk],
        "association": [teams["association"].pk],
        "junk": ["abc"],
        "too_many": [teams["there"].pk] * 51,
    }[bad]
    client.force_login(org_admin)
    edit_url = reverse("projects:edit", args=[project.number])
    response = client.post(edit_url, project_post(district, title="改过的标题", teams_only=ids))
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    project.refresh_from_db()
    assert project.title != "改过的标题"
    assert list(project.teams_only.all()) == [teams["here"]]


def test_search_works_without_javascript_on_the_form_page(client, org_admin, org, teams):
    client.force_login(org_admin)
    url = reverse("projects:create", args=[org.pk])
    page = client.get(url, {"team_q": "助老"}).content.decode()
    assert f'value="{teams["here"].pk}"' in page and f'value="{teams["there"].pk}"' in page
    assert page.index("黄浦助老服务队") < page.index("徐汇助老服务队")
    assert 'value="助老"' in page  # the query stays in the box
