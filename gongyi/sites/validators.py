"""Checks of a site's fields, shared by the services (pages and API): each returns the clean
value or raises `ServiceError` naming its field, with a message in the user's language.

Images are opened with Pillow restricted to PNG, JPEG, WebP and GIF (the name and the
Content-Type are never trusted) and re-encoded into a fresh file, so nothing of the upload
but its pixels is kept (no EXIF or GPS, nothing hidden after the image data).
"""

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.sites.models import SLUG_RE, Site

NAME_MAX = Site._meta.get_field("name").max_length
TAGLINE_MAX = Site._meta.get_field("tagline").max_length
HOST_MAX = Site._meta.get_field("host").max_length
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
HEX_RE = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
# Names the site pages and the API use themselves (/sites/manage/, /api/v1/sites/manage).
RESERVED_SLUGS = frozenset({"manage", "new"})
# White text on the main colour (the header, buttons): WCAG AA for normal text.
MIN_CONTRAST = 4.5

IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
MAX_PIXELS = 40_000_000  # decoded RGBA that is 160 MB: refuse before decoding


@dataclass(frozen=True)
class ImageRule:
    field: str
    max_bytes: int
    min_size: tuple[int, int]
    box: tuple[int, int]  # shrunk to fit inside
    format: str  # what we keep: PNG (keeps transparency) or JPEG


LOGO = ImageRule("logo", 2 * 1024 * 1024, (32, 32), (512, 512), "PNG")
BANNER = ImageRule("banner", 5 * 1024 * 1024, (600, 150), (1920, 640), "JPEG")


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str


def _text(value, *, field: str, max_length: int, required: bool, what) -> str:
    text = " ".join(str(value or "").split())
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in text):
        raise ServiceError(
            f"{field}_invalid",
            _("%(what)s contains characters that cannot be shown.") % {"what": what},
            field=field,
        )
    if required and not text:
        raise ServiceError(
            f"{field}_missing", _("%(what)s is required.") % {"what": what}, field=field
        )
    if len(text) > max_length:
        raise ServiceError(
            f"{field}_too_long",
            _("%(what)s may be at most %(max)d characters.") % {"what": what, "max": max_length},
            field=field,
        )
    return text


def clean_name(value) -> str:
    return _text(value, field="name", max_length=NAME_MAX, required=True, what=_("The name"))


def clean_tagline(value) -> str:
    return _text(
        value, field="tagline", max_length=TAGLINE_MAX, required=False, what=_("The tagline")
    )


def clean_slug(value) -> str:
    slug = str(value or "").strip().lower()
    if not re.fullmatch(SLUG_RE, slug):
        raise ServiceError(
            "slug_invalid",
            _(
                "The short name must be 2 to 40 lower-case letters, digits and hyphens, "
                "starting with a letter (e.g. jinjiang)."
            ),
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise ServiceError(
            "slug_reserved",
            _("“%(slug)s” is reserved: choose another short name.") % {"slug": slug},
            field="slug",
        )
    return slug


def _allowed_hosts() -> list[str]:
    hosts = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not hosts:  # what Django itself allows then
        hosts = [".localhost", "127.0.0.1", "[::1]"]
    return hosts


def clean_host(value) -> str:
    """A host name such as `jinjiang.gongyi.example`, lower-case; "" for none. It must have
    at least two labels (so it can never be the bare `localhost` or an IP address) and pass
    ALLOWED_HOSTS, or the server would refuse every request to it."""
    raw = str(value or "").strip().lower().rstrip(".")
    if not raw:
        return ""
    bad = ServiceError(
        "host_invalid",
        _("Give a host name such as jinjiang.gongyi.example (no http://, port or path)."),
        field="host",
    )
    try:
        host = raw.encode("idna").decode("ascii")  # 锦江.公益.中国 -> xn--…
    except UnicodeError:
        raise bad from None
    labels = host.split(".")
    if len(host) > HOST_MAX or len(labels) < 2 or not all(LABEL_RE.match(x) for x in labels):
        raise bad
    if labels[-1].isdigit():  # an IP address: not a site's own name
        raise bad
    if not validate_host(host, _allowed_hosts()):
        raise ServiceError(
            "host_not_allowed",
            _(
                "The server does not answer to %(host)s yet: the operator must add it to "
                "ALLOWED_HOSTS first."
            )
            % {"host": host},
            field="host",
        )
    return host


def clean_colour(value, *, field: str) -> str:
    """`#rrggbb` in lower case (`#abc` is taken as `#aabbcc`)."""
    match = HEX_RE.fullmatch(str(value or "").strip())
    if match is None:
        raise ServiceError(
            f"{field}_invalid", _("Give a colour as #rrggbb, e.g. #c8102e."), field=field
        )
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return f"#{digits}"


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(colour: str) -> float:
    return 1.05 / (_luminance(colour) + 0.05)


def clean_primary_colour(value) -> str:
    """The main colour carries white text (header, buttons), so it must be dark enough."""
    colour = clean_colour(value, field="primary_colour")
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        raise ServiceError(
            "primary_colour_too_light",
            _(
                "White text on %(colour)s is hard to read (contrast %(ratio).1f:1, at least "
                "%(min).1f:1 is needed): choose a darker main colour."
            )
            % {"colour": colour, "ratio": ratio, "min": MIN_CONTRAST},
            field="primary_colour",
        )
    return colour


def clean_accent_colour(value) -> str:
    return clean_colour(value, field="accent_colour")


def clean_district(district: Region | None) -> Region:
    if district is None or district.level != Region.Level.DISTRICT:
        raise ServiceError("district_invalid", _("Choose a district."), field="district")
    return district


# --- images -------------------------------------------------------------------------------


def clean_image(upload, rule: ImageRule) -> CleanImage:
    """The upload's pixels, checked and re-encoded (PNG for a logo, JPEG for a banner)."""
    field = rule.field
    not_image = ServiceError(
        f"{field}_invalid", _("Upload a PNG, JPEG, WebP or GIF image."), field=field
    )
    size = getattr(upload, "size", None) or 0
    if size > rule.max_bytes:
        raise ServiceError(
            f"{field}_too_large",
            _("The image may be at most %(mb)s MB.") % {"mb": rule.max_bytes // 2**20},
            field=field,
        )
    if size == 0:
        raise not_image
    too_many = ServiceError(f"{field}_too_large", _("The image has too many pixels."), field=field)
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=IMAGE_FORMATS) as picture:
                if picture.width * picture.height > MAX_PIXELS:
                    raise too_many
                picture.load()  # a truncated or damaged file fails here
                _check_min_size(picture, rule)
                data = _encode(picture, rule)
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_image from None
    return CleanImage(data=data, extension="png" if rule.format == "PNG" else "jpg")


def _check_min_size(picture: Image.Image, rule: ImageRule) -> None:
    width, height = rule.min_size
    if picture.width < width or picture.height < height:
        raise ServiceError(
            f"{rule.field}_too_small",
            _("The image must be at least %(w)d × %(h)d pixels.") % {"w": width, "h": height},
            field=rule.field,
        )


def _encode(picture: Image.Image, rule: ImageRule) -> bytes:
    upright = ImageOps.exif_transpose(picture)
    rgba = upright.convert("RGBA")
    rgba.thumbnail(rule.box, Image.Resampling.LANCZOS)  # only ever shrinks
    out = io.BytesIO()
    if rule.format == "PNG":
        clean = Image.new("RGBA", rgba.size)
        clean.paste(rgba)
        clean.save(out, format="PNG", optimize=True)
    else:
        clean = Image.new("RGB", rgba.size, "white")
        clean.paste(rgba, mask=rgba.getchannel("A"))
        clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()
