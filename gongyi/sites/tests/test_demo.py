"""The demo's district sites: eight, each with its own host, colours, logo and banner."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from gongyi.core.models import AuditEntry
from gongyi.sites.demo import DEMO_SITES, build_demo_sites, draw_banner, draw_logo
from gongyi.sites.models import Site

pytestmark = pytest.mark.django_db


def test_demo_sites_are_built_once_and_work(client):
    call_command("load_regions", verbosity=0)
    out = io.StringIO()
    made = build_demo_sites(stdout=out)
    assert len(made) == len(DEMO_SITES) == 8
    assert build_demo_sites(stdout=out) == []  # safe to run twice
    sites = list(Site.objects.select_related("district"))
    assert len(sites) == 8
    assert len({s.primary_colour for s in sites}) == 8
    assert {s.host for s in sites} == {f"{d.slug}.localhost" for d in DEMO_SITES}
    assert {s.district.name for s in sites} >= {"锦江区", "成都高新区", "浦东新区"}
    assert all(s.logo and s.banner for s in sites)
    assert AuditEntry.objects.filter(action="site.created").count() == 8
    for site in sites:
        response = client.get("/", HTTP_HOST=site.host)
        assert response.wsgi_request.site == site
        assert site.name in response.content.decode()
        assert client.get(f"/d/{site.slug}/").status_code == 200


def test_demo_sites_skip_districts_not_loaded(db):
    out = io.StringIO()
    assert build_demo_sites(stdout=out) == []
    assert "510104" in out.getvalue()


@pytest.mark.parametrize("with_font", [True, False])
def test_demo_pictures_are_drawn_with_or_without_the_font(monkeypatch, with_font, request):
    if with_font:
        request.getfixturevalue("cjk_font")
    else:
        monkeypatch.setattr("gongyi.core.fonts.find_font", lambda: None)
    demo = DEMO_SITES[0]
    logo = Image.open(io.BytesIO(draw_logo(demo, "锦江区")))
    banner = Image.open(io.BytesIO(draw_banner(demo, "锦江区")))
    assert logo.size == (256, 256) and banner.size == (1200, 360)
