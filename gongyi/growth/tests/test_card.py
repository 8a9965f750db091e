"""The identity card: opt-in, the public page and its QR, the share image, no leaks."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from PIL import Image

from gongyi.core import fonts
from gongyi.core.audit import AuditEntry
from gongyi.growth import card, selectors, services
from gongyi.growth.models import CardSettings
from gongyi.growth.tests.conftest import append
from gongyi.orgs.models import Membership, Organisation
from gongyi.testing.people import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(district, community, alice):
    """A verified community team alice is an active member of."""
    team = make_org(
        district,
        name="南京东路社区志愿服务队",
        kind=Organisation.Kind.COMMUNITY_TEAM,
        community=community,
    )
    Membership.objects.create(organisation=team, user=alice.user, status="active")
    return team


@pytest.fixture
def served(rules_ready, alice, projects, team):
    """Alice served in five districts (a badge), 150 hours (one star)."""
    for i, project in enumerate(projects[:5]):
        append(alice, project, minutes=30 * 60, day=date(2026, 1, i + 1))
    return alice


def go_public(volunteer) -> None:
    services.set_card_public(volunteer=volunteer, actor=volunteer.user, is_public=True)


# --- opting in ------------------------------------------------------------------------------------


def test_the_card_is_private_by_default(client, served):
    assert not selectors.is_card_public(served)
    assert client.get(reverse("growth:card", args=[served.number])).status_code == 404


def test_the_volunteer_opts_in_and_out(client, served):
    client.force_login(served.user)
    page = client.get(reverse("growth:card_settings"))
    assert page.status_code == 200
    assert served.masked_name in page.content.decode()  # the preview
    response = client.post(reverse("growth:card_settings"), {"is_public": "on"})
    assert response.status_code == 302
    assert CardSettings.objects.get(volunteer=served).is_public
    assert AuditEntry.objects.filter(action="growth.card_public").count() == 1
    client.post(reverse("growth:card_settings"), {})
    assert not CardSettings.objects.get(volunteer=served).is_public
    assert AuditEntry.objects.filter(action="growth.card_private").count() == 1


def test_a_plain_account_has_no_card(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("growth:card_settings"))
    assert response.status_code == 200
    assert reverse("accounts:register_volunteer") in response.content.decode()
    assert client.get(reverse("growth:card_preview")).status_code == 404


def test_nobody_else_sets_a_card(served, outsider):
    from gongyi.core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.set_card_public(volunteer=served, actor=outsider, is_public=True)
    assert not CardSettings.objects.filter(volunteer=served, is_public=True).exists()


# --- the public page ------------------------------------------------------------------------------


def test_the_public_card_shows_only_what_it_should(client, served, team):
    go_public(served)
    response = client.get(reverse("growth:card", args=[served.number]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "梁**" in page and "梁小明" not in page  # masked name only
    assert served.number in page
    assert "★☆☆☆☆" in page and "150.0" in page
    assert "足迹五区" in page
    assert team.name in page
    assert "黄浦区社区服务" in page  # a recent project
    assert served.id_number_masked not in page
    assert served.birth_date.isoformat() not in page
    assert "2026-01-05" not in page  # no dates of service either
    assert 'src="data:image/svg+xml' in page  # the QR code


def test_the_qr_opens_the_card(client, served):
    go_public(served)
    url = "http://testserver" + reverse("growth:card", args=[served.number])
    found = selectors.card_of(served)
    image, _drawn = card.render(found, url)
    assert image.size == (750, 1000)
    response = client.get(reverse("growth:card", args=[served.number]))
    assert url in response.content.decode()


def test_private_and_unknown_answer_the_same_404(client, served):
    private = client.get(reverse("growth:card", args=[served.number]))
    unknown = client.get(reverse("growth:card", args=["V9999999999"]))
    assert private.status_code == unknown.status_code == 404

    def page(response, number):  # the same page but for the address asked and one-time tokens
        text = response.content.decode().replace(number, "N")
        return re.sub(r'("X-CSRFToken": |nonce=)"[\w-]+"', "", text)

    assert page(private, served.number) == page(unknown, "V9999999999")
    assert served.masked_name not in private.content.decode()
    for number in (served.number, "V9999999999"):
        assert client.get(reverse("growth:card_png", args=[number])).status_code == 404


def test_a_pending_team_or_a_left_membership_is_not_shown(client, served, district):
    go_public(served)
    pending = make_org(
        district,
        name="未审核的志愿服务队",
        kind=Organisation.Kind.SPECIAL_TEAM,
        status=Organisation.Status.PENDING,
    )
    left = make_org(district, name="已退出的志愿服务队", kind=Organisation.Kind.SPECIAL_TEAM)
    Membership.objects.create(organisation=pending, user=served.user, status="active")
    Membership.objects.create(organisation=left, user=served.user, status="left")
    teams = selectors.card_of(served).teams
    assert teams == ["南京东路社区志愿服务队"]


# --- the share image ------------------------------------------------------------------------------


def test_the_share_image_is_a_phone_sized_png_with_every_glyph(client, served, cjk_font):
    go_public(served)
    found = selectors.card_of(served)
    image, drawn = card.render(found, "http://testserver/growth/card/x/")
    assert image.size == (750, 1000) and image.mode == "RGB"
    assert any("梁**" in text for text in drawn)
    assert any("足迹五区" in text for text in drawn)
    for text in drawn:
        assert fonts.missing_glyphs(text, cjk_font) == set(), text
    response = client.get(reverse("growth:card_png", args=[served.number]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]
    png = Image.open(io.BytesIO(response.content))
    assert png.format == "PNG" and png.size == (750, 1000) and png.mode == "RGB"


def test_our_labels_have_every_glyph_in_english_too(served, cjk_font, settings):
    from django.utils import translation

    served.real_name = "龘靐齉"  # rare characters the font must still have (or be caught)
    found = selectors.card_of(served)
    with translation.override("en"):
        _image, drawn = card.render(found, "http://testserver/growth/card/x/")
    assert "Volunteer identity card" in drawn
    missing = set().union(*(fonts.missing_glyphs(t, cjk_font) for t in drawn))
    assert missing == fonts.missing_glyphs(served.masked_name, cjk_font)


def test_the_image_is_cached_until_the_card_changes(served, cjk_font, monkeypatch, projects):
    drawn = []
    original = card.render
    monkeypatch.setattr(card, "render", lambda *a: drawn.append(1) or original(*a))
    url = "http://testserver/growth/card/x/"
    first = card.png(selectors.card_of(served), url)
    again = card.png(selectors.card_of(served), url)
    assert first == again and len(drawn) == 1
    append(served, projects[5], minutes=60, day=date(2026, 2, 1))  # the summary changes
    card.png(selectors.card_of(served), url)
    assert len(drawn) == 2


def test_the_preview_is_the_volunteers_own(client, served, cjk_font):
    client.force_login(served.user)
    response = client.get(reverse("growth:card_preview"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]


def test_no_font_is_a_503_not_a_500(client, served, monkeypatch):
    go_public(served)
    from gongyi.core import images

    images.font.cache_clear()
    monkeypatch.setattr(fonts, "find_font", lambda: None)
    try:
        response = client.get(reverse("growth:card_png", args=[served.number]))
        api = client.get(reverse("api:growth_card_image", args=[served.number]))
    finally:
        images.font.cache_clear()
    assert response.status_code == 503 and api.status_code == 503
    assert api.json()["code"] == "font_missing"


def test_the_public_card_reads_a_fixed_number_of_times(
    client, served, projects, django_assert_max_num_queries
):
    go_public(served)
    url = reverse("growth:card", args=[served.number])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for i in range(20):
        append(served, projects[i % 6], minutes=60, day=date(2026, 3, 1 + i))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
