"""Drawing share images (posters, identity cards) with Chinese text: Pillow + segno.

Small pieces only; each image's layout lives with its feature. Text is drawn with the font of
`gongyi.core.fonts`, so a character the font lacks can be found before it prints as a box
(`fonts.missing_glyphs`).
"""

import functools
import io

import segno
from PIL import Image, ImageDraw, ImageFont

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
