"""Checks of a site's fields, shared by the services (pages and API): each returns the clean
value or raises `ServiceError` naming its field, with a message in the user's language.

Images are checked by `gongyi.core.images.clean_image`, with the rules below.
"""

import re
import unicodedata

from django.conf import settings
from django.http.request import validate_host
from django.utils.translation import gettext as _

from gongyi.core.errors import ServiceError
from gongyi.core.images import ImageRule
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

LOGO = ImageRule("logo", 2 * 1024 * 1024, (32, 32), (512, 512), "PNG")
BANNER = ImageRule("banner", 5 * 1024 * 1024, (600, 150), (1920, 640), "JPEG")


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
