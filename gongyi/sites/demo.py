"""Demo district sites: eight districts of Chengdu and Shanghai, each with its own host
(`<slug>.localhost`, which Chromium and most systems resolve to 127.0.0.1), colours, and a
logo and banner drawn with Pillow (Chinese text when the font is installed, shapes otherwise).

They are saved through the same checks as the pages (`services._create`: names, colours,
hosts and images are validated, the creation audited). Safe to run twice: a district that
already has a site is left alone.
"""

import sys
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from gongyi.accounts.models import StaffRole
from gongyi.core import fonts, images
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.sites import services, validators
from gongyi.sites.models import Site


@dataclass(frozen=True)
class DemoSite:
    code: str  # the district's code (GB/T 2260, or 5101A1 for 成都高新区)
    slug: str
    name: str
    tagline: str
    primary: str
    accent: str


DEMO_SITES = [
    DemoSite("510104", "jinjiang", "锦江志愿", "锦绣锦江，志愿同行", "#b3261e", "#f2a900"),
    DemoSite("510105", "qingyang", "青羊志愿", "少城青羊，公益有我", "#1b6e3a", "#9bd770"),
    DemoSite("510106", "jinniu", "金牛志愿", "金牛志愿，温暖你我", "#7a4f00", "#ffc83d"),
    DemoSite("510107", "wuhou", "武侯志愿", "千年武侯，志愿相伴", "#5b2a86", "#d4a5ff"),
    DemoSite("510108", "chenghua", "成华志愿", "熊猫故乡，公益成华", "#0b5394", "#6fc3ff"),
    DemoSite("5101A1", "gaoxin", "高新志愿", "创新高地，志愿先行", "#00696b", "#4dd0c9"),
    DemoSite("310101", "huangpu", "黄浦志愿", "黄浦志愿，城市温度", "#1f3a93", "#ff8a3d"),
    DemoSite("310115", "pudong", "浦东志愿", "浦东志愿，引领未来", "#7a1f5c", "#ff7ab8"),
]
LOGO_SIZE = 256
BANNER_SIZE = (1200, 360)


def _can_draw(text: str) -> bool:
    return fonts.find_font() is not None and not fonts.missing_glyphs(text)


def draw_logo(demo: DemoSite, district_name: str) -> bytes:
    """A round badge in the site's colours with the district's first character."""
    size = LOGO_SIZE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=demo.accent)
    draw.ellipse((14, 14, size - 15, size - 15), fill=demo.primary)
    mark = district_name.removeprefix("成都")[:1]
    if _can_draw(mark):
        face = images.font(140)
        draw.text((size / 2, size / 2), mark, font=face, fill="white", anchor="mm")
    else:  # a heart of two circles and a triangle
        draw.ellipse((64, 72, 132, 140), fill="white")
        draw.ellipse((124, 72, 192, 140), fill="white")
        draw.polygon([(68, 120), (188, 120), (128, 196)], fill="white")
    return images.png_bytes(image)


def draw_banner(demo: DemoSite, district_name: str) -> bytes:
    """A wide band in the main colour with stripes of the accent colour, and the site's name."""
    width, height = BANNER_SIZE
    image = Image.new("RGB", BANNER_SIZE, demo.primary)
    draw = ImageDraw.Draw(image)
    for i, x in enumerate(range(-height, width, 90)):
        if i % 3 == 0:
            draw.polygon(
                [(x, height), (x + 40, height), (x + 40 + height, 0), (x + height, 0)],
                fill=demo.accent,
            )
    draw.rectangle((0, height - 120, width, height), fill=demo.primary)
    text = f"{demo.name} · {district_name}"  # the tagline is on the page, under the banner
    if _can_draw(text):
        draw.text((48, height - 60), text, font=images.font(60), fill="white", anchor="lm")
    else:
        draw.rectangle((48, height - 72, 48 + 420, height - 48), fill="white")
    return images.png_bytes(image)


def _city_admin_of(district: Region):
    role = (
        StaffRole.objects.filter(role=StaffRole.Role.CITY_ADMIN, region_id=district.city_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user if role else None


def _demo_host(demo: DemoSite) -> str:
    """`<slug>.localhost` when the server answers to it (ALLOWED_HOSTS), else none: the site
    is then reached by its path fallback only."""
    try:
        return validators.clean_host(f"{demo.slug}.localhost")
    except ServiceError:
        return ""


def build_demo_sites(stdout=None) -> list[Site]:
    """Create the demo sites whose district exists and has no site yet; returns those made."""
    out = stdout or sys.stdout
    districts = {
        r.code: r
        for r in Region.objects.filter(code__in=[d.code for d in DEMO_SITES]).select_related("city")
    }
    made = []
    for demo in DEMO_SITES:
        district = districts.get(demo.code)
        if district is None:
            out.write(f"  district {demo.code} is not loaded: no site {demo.slug}\n")
            continue
        if Site.objects.filter(district=district).exists():
            continue
        try:
            site = services._create(
                actor=_city_admin_of(district),
                district=district,
                name=demo.name,
                slug=demo.slug,
                host=_demo_host(demo),
                tagline=demo.tagline,
                primary_colour=demo.primary,
                accent_colour=demo.accent,
                logo=SimpleUploadedFile("logo.png", draw_logo(demo, district.name)),
                banner=SimpleUploadedFile("banner.png", draw_banner(demo, district.name)),
            )
        except ServiceError as error:  # e.g. the slug is taken by a site of another district
            out.write(f"  site {demo.slug} not created: {error.message}\n")
            continue
        made.append(site)
    return made


def print_demo_sites(stdout=None, port: int = 8000) -> None:
    """The addresses of the demo sites, for `manage.py demo`'s closing words."""
    out = stdout or sys.stdout
    sites = list(Site.objects.filter(is_active=True).select_related("district"))
    if not sites:
        return
    out.write("\nDistrict sites (own host, or the path fallback):\n")
    for site in sites:
        host = f"http://{site.host}:{port}/" if site.host else ""
        out.write(f"  {site.district.name:<6} {host}  http://127.0.0.1:{port}/d/{site.slug}/\n")
