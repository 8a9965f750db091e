"""Drawing share images (posters, identity cards) with Chinese text: Pillow + segno; and
checking uploaded pictures (logos, banners, covers).

Small pieces only; each image's layout lives with its feature. Text is drawn with the font of
`gongyi.core.fonts`, so a character the font lacks can be found before it prints as a box
(`fonts.missing_glyphs`).

Uploads are opened with Pillow restricted to PNG, JPEG, WebP and GIF (the name and the
Content-Type are never trusted) and re-encoded into a fresh file, so nothing of the upload
but its pixels is kept (no EXIF or GPS, nothing hidden after the image data).
"""

import functools
import io
import warnings
from dataclasses import dataclass

import segno
from django.utils.functional import lazy
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from gongyi.core import fonts
from gongyi.core.errors import ServiceError

# Phone-sized portrait: 3:4 at a resolution chat apps keep sharp.
PHONE_SIZE = (750, 1000)


class FontMissing(ServiceError):
    """The server cannot draw Chinese: the font is not installed."""

    status = 503


def _missing_font() -> FontMissing:
    from django.utils.translation import gettext as _

    return FontMissing(
        "font_missing",
        _("Images cannot be drawn right now: the Chinese font is not installed on the server."),
    )


@functools.lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont:
    """The Chinese font at `size` pixels; FontMissing when it is not installed."""
    path = fonts.find_font()
    if path is None:
        raise _missing_font()
    return ImageFont.truetype(path, size, index=0)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Break `text` into lines no wider than `width` pixels, between any two characters
    (Chinese has no spaces); the last line ends with an ellipsis when text is left over."""
    lines: list[str] = []
    line = ""
    for ch in text.replace("\n", " "):
        if face.getlength(line + ch) <= width:
            line += ch
            continue
        lines.append(line)
        line = ch
        if len(lines) == max_lines:
            break
    else:
        if line:
            lines.append(line)
        return lines
    last = lines[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last + "…"
    return lines


def draw_lines(
    draw: ImageDraw.ImageDraw,
    xy: tuple[int, int],
    text: str,
    *,
    size: int,
    width: int,
    max_lines: int = 1,
    fill: str = "#222222",
    spacing: float = 1.4,
) -> int:
    """Draw wrapped text from `xy`; returns the y below the last line."""
    face = font(size)
    x, y = xy
    for line in wrap(text, face, width, max_lines):
        draw.text((x, y), line, font=face, fill=fill)
        y += int(size * spacing)
    return y


def qr(url: str, pixels: int) -> Image.Image:
    """A QR code of `url`, `pixels` wide, black on white, ready to paste."""
    code = segno.make(url, error="m", boost_error=False)
    scale = max(1, pixels // code.symbol_size(border=2)[0])
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=2)
    buffer.seek(0)
    image = Image.open(buffer).convert("RGB")
    return image.resize((pixels, pixels), Image.Resampling.NEAREST)


# zlib level 3: measured on a poster here, as small as optimize=True (89 KB both) in a sixth
# of the time (~45 ms, not ~280).
PNG_COMPRESS_LEVEL = 3


def png_bytes(image: Image.Image) -> bytes:
    """The image as PNG, without metadata."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


# --- checking uploads -----------------------------------------------------------------------

IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
MAX_PIXELS = 40_000_000  # decoded RGBA that is 160 MB: refuse before decoding


@dataclass(frozen=True)
class ImageRule:
    field: str  # the errors name it, and their codes start with it (`logo_too_large`)
    max_bytes: int
    min_size: tuple[int, int]
    box: tuple[int, int]  # shrunk to fit inside
    format: str  # what we keep: PNG (keeps transparency) or JPEG
    max_pixels: int = MAX_PIXELS


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str


def image_help(rule: ImageRule) -> str:
    """What an upload field tells the user about the pictures it takes."""
    return gettext("PNG, JPEG, WebP or GIF, at most %(mb)d MB, at least %(w)d × %(h)d pixels.") % {
        "mb": rule.max_bytes // 2**20,
        "w": rule.min_size[0],
        "h": rule.min_size[1],
    }


# For a form field's help text, built at import: translated when shown.
image_help_lazy = lazy(image_help, str)


def clean_image(upload, rule: ImageRule) -> CleanImage:
    """The upload's pixels, checked and re-encoded as the rule's format."""
    field = rule.field
    not_image = ServiceError(
        f"{field}_invalid", gettext("Upload a PNG, JPEG, WebP or GIF image."), field=field
    )
    size = getattr(upload, "size", None) or 0
    if size > rule.max_bytes:
        raise ServiceError(
            f"{field}_too_large",
            gettext("The image may be at most %(mb)s MB.") % {"mb": rule.max_bytes // 2**20},
            field=field,
        )
    if size == 0:
        raise not_image
    too_many = ServiceError(
        f"{field}_too_large", gettext("The image has too many pixels."), field=field
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=IMAGE_FORMATS) as picture:
                if picture.width * picture.height > rule.max_pixels:
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
            gettext("The image must be at least %(w)d × %(h)d pixels.") % {"w": width, "h": height},
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
