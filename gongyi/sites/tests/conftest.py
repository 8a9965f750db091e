"""Sites, districts and pictures for the site tests.

The people (gongyi/testing/people.py): `city_admin` of 上海市, `district_admin` of 黄浦区
(`district`), `other_district_admin` of 徐汇区 (`other_district`), `volunteer`, `outsider`.
`huangpu` is 黄浦区's site, at huangpu.localhost and /d/huangpu/.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongyi.sites import services

__all__ = ["image_file", "make_site", "png"]


def png(size=(800, 240), colour="#336699", fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


def image_file(name="picture.png", size=(800, 240), fmt="PNG", data: bytes | None = None):
    content = png(size, fmt=fmt) if data is None else data
    return SimpleUploadedFile(name, content, content_type="image/png")


def make_site(district, slug: str, *, host: str | None = None, actor=None, **extra):
    """A site saved through the service's checks (no permission asked)."""
    fields = dict(
        name=f"{district.name}志愿",
        slug=slug,
        host=f"{slug}.localhost" if host is None else host,
        tagline="",
        primary_colour="#1f3a93",
        accent_colour="#ff8a3d",
    )
    fields.update(extra)
    return services._create(actor=actor, district=district, **fields)


@pytest.fixture
def huangpu(district):
    return make_site(district, "huangpu", tagline="黄浦志愿，城市温度")


@pytest.fixture
def xuhui(other_district):
    return make_site(other_district, "xuhui", primary_colour="#1b6e3a")
