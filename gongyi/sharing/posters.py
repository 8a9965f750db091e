"""Share posters: a phone-sized PNG with a title, a few labelled lines and a QR code.

Generic: anything that can be shared draws its poster from a `PosterContent` (the project's
is built in `gongyi.sharing.project_kind`; an identity card or a snapshot can build its own).
Posters are in Chinese, whatever the page's language (`POSTER_LANGUAGE`): they are passed
around in Chinese chat apps.

Every text is checked against the font before it is drawn: a character the font has no
glyph for (an emoji in a title) is left out rather than printed as a box.

The PNG is cached under a digest of everything drawn (texts, address, font, layout version),
so a poster is drawn again exactly when something on it changed: a new title, the next shift
moving on, a new address. A repeat is a cache hit.
"""

import hashlib
import json
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from gongyi.core import fonts, images

POSTER_LANGUAGE = "zh-hans"
LAYOUT_VERSION = 1  # move on when the drawing below changes: old cached posters are skipped
CACHE_SECONDS = 24 * 3600

WIDTH, HEIGHT = images.PHONE_SIZE
MARGIN = 56
BAND_HEIGHT = 140
QR_SIZE = 200
QR_TOP = HEIGHT - MARGIN - QR_SIZE
TEXT_LIMIT = QR_TOP - 48  # the labelled lines stop above the QR panel
RED, INK, MUTED, LINE, PANEL = "#c8102e", "#222222", "#666666", "#e5e5e5", "#f6f6f6"
TITLE_SIZE, LABEL_SIZE, VALUE_SIZE, SMALL_SIZE = 46, 28, 30, 22
SPACING = 1.4


@dataclass(frozen=True)
class PosterContent:
    """What a poster says: `lines` are (label, text) pairs, `url` is what the QR code opens."""

    title: str
    lines: tuple[tuple[str, str], ...]
    url: str
    caption: str = ""  # under the QR code's side; a default when empty

    def digest(self) -> str:
        fields = {**asdict(self), "font": fonts.find_font(), "layout": LAYOUT_VERSION}
        fields["language"] = POSTER_LANGUAGE
        blob = json.dumps(fields, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]


def drawable(text: str) -> str:
    """`text` on one line, without the characters the font cannot draw."""
    missing = fonts.missing_glyphs(text)
    return " ".join("".join(ch for ch in text if ch not in missing).split())


def poster_png(content: PosterContent) -> tuple[bytes, str]:
    """The poster as PNG bytes and its digest (an ETag), from the cache when drawn before.
    Raises `images.FontMissing` (503) when the server has no Chinese font."""
    digest = content.digest()
    key = f"sharing:poster:{digest}"
    body = cache.get(key)
    if body is None:
        body = render_png(content)
        cache.set(key, body, CACHE_SECONDS)
    return body, digest


def render_png(content: PosterContent) -> bytes:
    """Draw the poster (no cache)."""
    return images.png_bytes(draw_poster(content))


def draw_poster(content: PosterContent) -> Image.Image:
    images.font(TITLE_SIZE)  # FontMissing before anything is drawn
    with translation.override(POSTER_LANGUAGE):
        image = Image.new("RGB", images.PHONE_SIZE, "white")
        draw = ImageDraw.Draw(image)
        _draw_band(draw)
        y = images.draw_lines(
            draw,
            (MARGIN, BAND_HEIGHT + 48),
            drawable(content.title),
            size=TITLE_SIZE,
            width=WIDTH - 2 * MARGIN,
            max_lines=3,
            fill=INK,
            spacing=1.35,
        )
        y += 20
        draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=LINE, width=2)
        _draw_lines(draw, content.lines, y + 32)
        _draw_qr_panel(image, draw, content)
    return image


def _draw_band(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, WIDTH, BAND_HEIGHT), fill=RED)
    brand = drawable(_("Gongyi · volunteer service platform"))
    images.draw_lines(draw, (MARGIN, 50), brand, size=34, width=WIDTH - 2 * MARGIN, fill="white")


def _draw_lines(draw: ImageDraw.ImageDraw, lines, y: int) -> None:
    labels = [drawable(label) for label, _text in lines]
    label_face = images.font(LABEL_SIZE)
    widest = max((label_face.getlength(label) for label in labels), default=0)
    value_x = MARGIN + min(int(widest) + 24, 220)
    line_height = int(VALUE_SIZE * SPACING)
    for label, (_label, text) in zip(labels, lines, strict=True):
        room = (TEXT_LIMIT - y) // line_height
        if room < 1:
            break
        draw.text((MARGIN, y + 2), label, font=label_face, fill=RED)
        y = images.draw_lines(
            draw,
            (value_x, y),
            drawable(text),
            size=VALUE_SIZE,
            width=WIDTH - MARGIN - value_x,
            max_lines=min(2, room),
            fill=INK,
        )
        y += 14


def _draw_qr_panel(image: Image.Image, draw: ImageDraw.ImageDraw, content: PosterContent) -> None:
    draw.rectangle((0, QR_TOP - 28, WIDTH, HEIGHT), fill=PANEL)
    image.paste(images.qr(content.url, QR_SIZE), (MARGIN, QR_TOP))
    x = MARGIN + QR_SIZE + 36
    width = WIDTH - MARGIN - x
    caption = drawable(content.caption or _("Scan the QR code to see the details"))
    y = images.draw_lines(draw, (x, QR_TOP + 30), caption, size=30, width=width, max_lines=2)
    address = content.url.split("://", 1)[-1]
    images.draw_lines(
        draw, (x, y + 12), drawable(address), size=SMALL_SIZE, width=width, fill=MUTED
    )
