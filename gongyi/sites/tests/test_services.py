"""The site services: checks, permissions, files, audit and the look-up's cache."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.images import clean_image
from gongyi.core.models import AuditEntry
from gongyi.regions.models import Region
from gongyi.sites import selectors, services, validators
from gongyi.sites.models import Site
from gongyi.sites.tests.conftest import image_file, make_site, png


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Jinjiang.Localhost.", "jinjiang.localhost"),
        ("  a-b.localhost ", "a-b.localhost"),
        ("", ""),
        ("锦江.localhost", "xn--9swv38f.localhost"),
    ],
)
def test_host_names_are_cleaned(raw, clean):
    assert validators.clean_host(raw) == clean


@pytest.mark.parametrize(
    "raw",
    [
        "localhost",
        "127.0.0.1",
        "10.0.0.1",
        "-a.localhost",
        "a_b.localhost",
        "a.localhost:8000",
        "https://a.localhost",
        "a.localhost/x",
        "a..localhost",
        "a\x00.localhost",
        ("x" * 64) + ".localhost",
    ],
)
def test_bad_host_names_are_refused(raw):
    with pytest.raises(ServiceError) as refused:
        validators.clean_host(raw)
    assert refused.value.field == "host"


def test_a_host_outside_allowed_hosts_is_refused(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    with pytest.raises(ServiceError) as refused:
        validators.clean_host("jinjiang.localhost")
    assert refused.value.code == "host_not_allowed"


@pytest.mark.parametrize(
    "raw, clean", [("#C8102E", "#c8102e"), ("c8102e", "#c8102e"), ("#abc", "#aabbcc")]
)
def test_colours_are_cleaned(raw, clean):
    assert validators.clean_accent_colour(raw) == clean


@pytest.mark.parametrize("raw", ["red", "#12345g", "#1234567", "", None, "rgb(0,0,0)"])
def test_bad_colours_are_refused(raw):
    with pytest.raises(ServiceError):
        validators.clean_accent_colour(raw)


def test_the_main_colour_must_carry_white_text():
    assert validators.clean_primary_colour("#c8102e") == "#c8102e"  # the city's red: 5.9:1
    with pytest.raises(ServiceError) as refused:
        validators.clean_primary_colour("#f2a900")
    assert refused.value.code == "primary_colour_too_light"


@pytest.mark.parametrize("raw", ["a", "1abc", "-ab", "ab-", "Ab c", "x" * 41, "锦江", "manage"])
def test_bad_slugs_are_refused(raw):
    with pytest.raises(ServiceError):
        validators.clean_slug(raw)


def test_names_are_tidied_and_control_characters_refused():
    assert validators.clean_name("  黄浦   志愿 ") == "黄浦 志愿"
    for bad in ("a\x00b", "a\x07b", "x" * 65, ""):
        with pytest.raises(ServiceError):
            validators.clean_name(bad)


# --- images -------------------------------------------------------------------------------


def _with_gps(size=(800, 300)) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "GongyiCam"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_images_are_re_encoded_without_metadata():
    clean = clean_image(SimpleUploadedFile("b.jpg", _with_gps()), validators.BANNER)
    with Image.open(io.BytesIO(clean.data)) as banner:
        assert banner.format == "JPEG"
        assert not banner.getexif()
        assert b"GongyiCam" not in clean.data
    logo = clean_image(image_file(size=(2000, 1000)), validators.LOGO)
    with Image.open(io.BytesIO(logo.data)) as picture:
        assert picture.format == "PNG" and picture.size == (512, 256)


def test_a_gif_and_a_webp_are_accepted():
    for fmt in ("GIF", "WEBP"):
        clean = clean_image(image_file(size=(64, 64), fmt=fmt), validators.LOGO)
        assert clean.extension == "png"


@pytest.mark.parametrize(
    "upload, code",
    [
        (SimpleUploadedFile("x.png", b""), "logo_invalid"),
        (SimpleUploadedFile("x.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "logo_invalid"),
        (SimpleUploadedFile("x.png", png((64, 64))[:60]), "logo_invalid"),  # truncated
        (SimpleUploadedFile("x.png", b"0" * (2 * 1024 * 1024 + 1)), "logo_too_large"),
        (image_file(size=(16, 16)), "logo_too_small"),
    ],
)
def test_bad_images_are_refused(upload, code):
    with pytest.raises(ServiceError) as refused:
        clean_image(upload, validators.LOGO)
    assert refused.value.code == code and refused.value.field == "logo"


def test_an_image_with_too_many_pixels_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 MP, a tiny file
    with pytest.raises(ServiceError) as refused:
        clean_image(SimpleUploadedFile("x.png", out.getvalue()), validators.BANNER)
    assert refused.value.code == "banner_too_large"


# --- create and update ----------------------------------------------------------------------


def test_create_is_audited_and_seen_by_the_look_up(district, city_admin):
    assert selectors.site_for_slug("huangpu") is None  # the map is cached now
    site = services.site_create(
        actor=city_admin, district=district, name="黄浦志愿", slug="huangpu"
    )
    assert site.created_by == city_admin and site.is_active and site.host == ""
    assert selectors.site_for_slug("huangpu") == site
    entry = AuditEntry.objects.get(action="site.created")
    assert entry.actor == city_admin and entry.data["district"] == "310101"


@pytest.mark.parametrize("who", ["outsider", "district_admin", "other_district_admin"])
def test_only_the_city_admin_creates(district, request, who):
    with pytest.raises(NotAllowed):
        services.site_create(
            actor=request.getfixturevalue(who), district=district, name="x", slug="xx"
        )
    assert not Site.objects.exists()


def test_a_site_needs_a_district(city, street, city_admin):
    for place in (city, street, None):
        with pytest.raises(ServiceError) as refused:
            services.site_create(actor=city_admin, district=place, name="x", slug="xx")
        assert refused.value.field == "district"


def test_the_district_admin_cannot_change_the_address(huangpu, district_admin, other_district):
    for change in (
        {"host": "other.localhost"},
        {"slug": "other"},
        {"district": other_district},
        {"is_active": False},
    ):
        with pytest.raises(NotAllowed) as refused:
            services.site_update(actor=district_admin, site=huangpu, **change)
        assert refused.value.code == "look_only"
    # The same values as now are no change at all: allowed along with a look change.
    same = services.site_update(
        actor=district_admin, site=huangpu, host="huangpu.localhost", name="黄浦"
    )
    assert same.name == "黄浦" and same.host == "huangpu.localhost"


def test_a_site_cannot_move_to_another_citys_district(huangpu, city_admin):
    chengdu = Region.objects.create(code="5101", name="成都市", level=1)
    jinjiang = Region.objects.create(
        code="510104", name="锦江区", level=2, parent=chengdu, city=chengdu
    )
    with pytest.raises(NotAllowed):
        services.site_update(actor=city_admin, site=huangpu, district=jinjiang)


def test_a_refused_update_keeps_no_file(huangpu, city_admin):
    with pytest.raises(ServiceError):
        services.site_update(
            actor=city_admin, site=huangpu, logo=image_file(size=(64, 64)), slug="Bad slug"
        )
    assert media_files() == []


def test_a_lost_race_on_a_unique_field_is_a_clear_error_and_keeps_no_file(
    huangpu, xuhui, city_admin, monkeypatch
):
    monkeypatch.setattr(services, "_check_unique", lambda values, exclude=None: None)
    with pytest.raises(ServiceError) as refused:
        services.site_update(
            actor=city_admin, site=huangpu, slug="xuhui", logo=image_file(size=(64, 64))
        )
    assert refused.value.code == "site_taken"
    assert media_files() == []
    huangpu.refresh_from_db()
    assert huangpu.slug == "huangpu"


def test_a_replaced_image_is_removed_after_the_commit(
    huangpu, district_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.site_update(
            actor=district_admin, site=huangpu, logo=image_file(size=(64, 64))
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.site_update(
            actor=district_admin, site=first, logo=image_file(size=(80, 80))
        )
    assert [p.name for p in media_files()] == [Path(second.logo.name).name]
    with django_capture_on_commit_callbacks(execute=True):
        services.site_update(actor=district_admin, site=second, remove_logo=True)
    assert media_files() == []


def test_nothing_to_change_writes_nothing(huangpu, district_admin):
    services.site_update(actor=district_admin, site=huangpu, name=huangpu.name)
    assert not AuditEntry.objects.filter(action="site.updated").exists()


def test_unknown_fields_are_a_programming_error(huangpu, city_admin):
    with pytest.raises(TypeError):
        services.site_update(actor=city_admin, site=huangpu, created_by=city_admin)


def test_the_same_host_in_another_case_is_taken(huangpu, other_district):
    with pytest.raises(ServiceError) as refused:
        make_site(other_district, "xuhui", host="HUANGPU.localhost")
    assert refused.value.code == "host_taken"


def test_sites_without_a_host_do_not_clash(district, other_district):
    make_site(district, "huangpu", host="")
    make_site(other_district, "xuhui", host="")
    assert Site.objects.filter(host="").count() == 2
