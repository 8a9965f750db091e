"""Short links and counting: one link per target, race-safe, throttled, bots not counted."""

import threading
import time

import pytest
from django.conf import settings
from django.db import IntegrityError, connection

from gongyi.core.useragents import is_preview_fetch
from gongyi.sharing import kinds, selectors, services
from gongyi.sharing.models import CODE_ALPHABET, CODE_LENGTH, ShareLink
from gongyi.sharing.project_kind import project_target
from gongyi.sharing.tests.conftest import BROWSER, WECHAT, fake_target, make_project

pytestmark = pytest.mark.django_db


def test_sharing_a_project_makes_one_link_and_counts_each_caller_once(project):
    first = services.share(kind="project", key=project.number, who="ip:10.0.0.1")
    again = services.share(kind="project", key=project.number, who="ip:10.0.0.1")
    other = services.share(kind="project", key=project.number, who="user:7")
    link = ShareLink.objects.get()
    assert first.link.pk == again.link.pk == other.link.pk == link.pk
    assert (first.counted, again.counted, other.counted) == (True, False, True)
    assert link.shares == 2 and link.visits == 0
    assert link.project_id == project.pk and (link.kind, link.key) == ("project", project.number)
    assert len(link.code) == CODE_LENGTH and set(link.code) <= set(CODE_ALPHABET)
    assert not set(link.code) & set("0O1IL")


def test_a_share_counts_again_after_the_window(project):
    services.share(kind="project", key=project.number, who="ip:10.0.0.1")
    from django.core.cache import cache

    cache.clear()  # the window has passed
    services.share(kind="project", key=project.number, who="ip:10.0.0.1")
    assert ShareLink.objects.get().shares == 2


@pytest.mark.parametrize("fixture", ["draft", "cancelled"])
def test_a_project_that_is_not_public_gets_no_link(request, fixture):
    project = request.getfixturevalue(fixture)
    with pytest.raises(services.NotShareable) as refused:
        services.share(kind="project", key=project.number, who="ip:1")
    assert refused.value.status == 404 and refused.value.code == "not_shareable"
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize(
    ("kind", "key"),
    [("project", "P310101999999999999"), ("project", "junk"), ("nope", "x"), ("project", "")],
)
def test_unknown_targets_are_refused(db, kind, key):
    with pytest.raises(services.NotShareable):
        services.share(kind=kind, key=key, who="ip:1")
    assert not ShareLink.objects.exists()


def test_a_concluded_project_is_still_shareable(closed):
    assert services.share(kind="project", key=closed.number, who="ip:1").counted


def test_link_for_reads_the_winner_when_another_request_inserted_first(project, monkeypatch):
    """The race: both requests find no link, both insert; the unique (kind, key) lets one
    win and the loser reads the winner's row instead of failing."""
    target = project_target(project)
    winner = services.link_for(target)
    real_link_of = selectors.link_of
    calls = []

    def not_yet_visible(kind, key):  # the loser's first look ran before the winner's insert
        calls.append(kind)
        return None if len(calls) == 1 else real_link_of(kind, key)

    monkeypatch.setattr(selectors, "link_of", not_yet_visible)
    assert services.link_for(target).pk == winner.pk
    assert ShareLink.objects.count() == 1 and len(calls) == 2


def test_a_code_clash_is_retried(project, closed, monkeypatch):
    taken = services.link_for(project_target(project)).code
    codes = iter([taken, "ABCDEFG"])
    monkeypatch.setattr(services, "new_code", lambda: next(codes))
    assert services.link_for(project_target(closed)).code == "ABCDEFG"


on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: many concurrent connections (run with DATABASE_URL=postgresql://…)",
)
THREADS = 8


def run_at_once(call) -> list[Exception]:
    """Run `call(n)` in THREADS real threads released together; the errors they raised."""
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def run(n: int):
        try:
            barrier.wait()
            call(n)
        except Exception as error:  # returned to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def slow_lookup(monkeypatch):
    """Every first look for a link waits, so all threads look before any inserts: the race
    window made wide on purpose."""
    real_link_of = selectors.link_of

    def slow(kind, key):
        found = real_link_of(kind, key)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(selectors, "link_of", slow)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_shares_make_one_link(org, slow_lookup):
    """Real threads: 8 first shares at once, all answered, one link, 8 shares counted."""
    project = make_project(org)
    errors = run_at_once(
        lambda n: services.share(kind="project", key=project.number, who=f"ip:10.0.0.{n}")
    )
    assert not errors
    assert ShareLink.objects.count() == 1 and ShareLink.objects.get().shares == THREADS


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_control_a_plain_check_then_insert_fails_under_the_same_race(org, slow_lookup):
    """The control: the same race without the retry on the unique constraint ends in
    errors (for nearly every caller but the first), so the test above shows the race is
    real and handled."""
    project = make_project(org)
    target = project_target(project)

    def naive(n: int):
        if selectors.link_of(target.kind, target.key) is None:
            ShareLink.objects.create(code=services.new_code(), kind=target.kind, key=target.key)

    errors = run_at_once(naive)
    assert len(errors) >= THREADS // 2 and all(isinstance(e, IntegrityError) for e in errors)
    assert ShareLink.objects.count() == 1


# --- visits ---------------------------------------------------------------------------------


def test_a_visit_leads_to_the_page_and_counts_once_per_address(project):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    url = services.visit(code=link.code, who="ip:10.1.1.1", user_agent=BROWSER)
    assert url == f"/projects/{project.number}/?from=share"
    services.visit(code=link.code.lower(), who="ip:10.1.1.1", user_agent=BROWSER)
    services.visit(code=link.code, who="ip:10.1.1.2", user_agent=WECHAT)
    link.refresh_from_db()
    assert link.visits == 2 and link.shares == 1


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
    ],
)
def test_preview_fetchers_and_crawlers_are_not_visitors(project, agent):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    assert is_preview_fetch(agent)
    services.visit(code=link.code, who="ip:10.1.1.1", user_agent=agent)
    link.refresh_from_db()
    assert link.visits == 0


def test_people_in_chat_apps_are_visitors():
    assert not is_preview_fetch(BROWSER)
    assert not is_preview_fetch(WECHAT)


def test_unknown_or_junk_codes_lead_nowhere(db):
    for code in ("ABCDEFG", "x", "A" * 40, "ab\x00cd", "../../etc"):
        with pytest.raises(services.NotShareable) as missing:
            services.visit(code=code, who="ip:1", user_agent=BROWSER)
        assert missing.value.status == 404 and missing.value.code == "link_missing"


def test_a_link_to_a_project_cancelled_since_leads_nowhere(project):
    link = services.share(kind="project", key=project.number, who="ip:1").link
    project.status = project.Status.CANCELLED
    project.save(update_fields=["status"])
    with pytest.raises(services.NotShareable):
        services.visit(code=link.code, who="ip:2", user_agent=BROWSER)
    link.refresh_from_db()
    assert link.visits == 0


def test_the_from_mark_keeps_the_page_query():
    assert services.marked_as_shared("/fake/a/?tab=photos") == "/fake/a/?tab=photos&from=share"
    assert services.marked_as_shared("/p/?from=x&page=2") == "/p/?page=2&from=share"
    assert services.marked_as_shared("/p/#top") == "/p/?from=share#top"


# --- other kinds ----------------------------------------------------------------------------


def test_another_kind_plugs_in_with_a_resolver(fake_kind):
    fake_kind["card1"] = fake_target("card1")
    shared = services.share(kind="fake", key="card1", who="ip:1")
    assert shared.link.project_id is None and shared.target.title == "假页面card1"
    url = services.visit(code=shared.link.code, who="ip:2", user_agent=BROWSER)
    assert url == "/fake/card1/?tab=photos&from=share"
    shared.link.refresh_from_db()
    assert (shared.link.shares, shared.link.visits) == (1, 1)


def test_a_kind_counts_under_its_project(fake_kind, project):
    fake_kind["snap9"] = fake_target("snap9", project_id=project.pk)
    services.share(kind="fake", key="snap9", who="ip:1")
    services.share(kind="project", key=project.number, who="ip:1")
    figures = selectors.project_figures(project)
    assert figures.shares == 2 and {link.kind for link in figures.links} == {"fake", "project"}


def test_a_private_target_of_another_kind_is_refused(fake_kind):
    fake_kind["hidden"] = fake_target("hidden", is_public=False)
    with pytest.raises(services.NotShareable):
        services.share(kind="fake", key="hidden", who="ip:1")
    assert not ShareLink.objects.exists()


def test_the_registry_checks_names_and_keys(fake_kind):
    with pytest.raises(ValueError):
        kinds.register("Bad Kind!", lambda key: None)
    assert "project" in kinds.registered() and "fake" in kinds.registered()
    assert kinds.label("fake") == "Fake page" and kinds.label("unknown") == "unknown"
    fake_kind["k" * 65] = fake_target("k" * 65)
    assert kinds.resolve("fake", "k" * 65) is None  # longer than a link's key can be
    assert kinds.resolve("nope", "x") is None


def test_the_project_target(project, draft):
    target = project_target(project)
    assert target.path == f"/projects/{project.number}/"
    assert target.image_path == f"/s/poster/project/{project.number}.png"
    assert target.project_id == project.pk and target.is_public
    assert target.description == "手把手教社区老人用智能手机"
    assert not project_target(draft).is_public
    assert kinds.resolve("project", project.number) == target


def test_a_project_without_summary_is_described_by_its_text_or_organiser(org):
    described = make_project(org, summary="", description="<p>帮助<b>老人</b>" + "学" * 300)
    assert project_target(described).description.startswith("帮助老人学")
    assert len(project_target(described).description) <= 120
    bare = make_project(org, summary="", description="")
    assert org.name in project_target(bare).description
