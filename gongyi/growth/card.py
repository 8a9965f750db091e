"""The identity card as a phone-sized PNG (750×1000) for chat apps and moments.

Drawn with the shared helpers of `gongyi.core.images` (the Chinese font, wrapping, the QR).
Every string goes through one `Painter`, which keeps what it drew: the tests check each one
with `fonts.missing_glyphs`, so a character the font lacks is caught before it prints as a box.
The PNG is cached under the card's content hash (`Card.version()`), which changes whenever the
summary, the badges, the teams, the projects, the language or the address change: a repeat
request costs the few queries of the card's data and no drawing.
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from gongyi.core import images
from gongyi.growth.selectors import Card

WIDTH, HEIGHT = images.PHONE_SIZE
MARGIN = 60
RED, GOLD, INK, GREY, PAPER = "#c8102e", "#d4a017", "#222222", "#6b6b6b", "#fffaf5"
QR_SIZE = 170
CACHE_SECONDS = 24 * 3600


class Painter:
    """Draws text with the Chinese font and remembers every string drawn."""

    def __init__(self, image: Image.Image):
        self.draw = ImageDraw.Draw(image)
        self.drawn: list[str] = []

    def text(self, xy, text: str, *, size: int, fill: str = INK, anchor: str = "la") -> None:
        self.drawn.append(text)
        self.draw.text(xy, text, font=images.font(size), fill=fill, anchor=anchor)

    def lines(self, xy, text: str, *, size: int, width: int, max_lines: int, fill=INK) -> int:
        """Wrapped text from `xy` (images.wrap); returns the y below the last line."""
        x, y = xy
        for line in images.wrap(text, images.font(size), width, max_lines):
            self.text((x, y), line, size=size, fill=fill)
            y += int(size * 1.4)
        return y

    def width(self, text: str, size: int) -> int:
        return int(images.font(size).getlength(text))


def _header(p: Painter) -> None:
    p.draw.rectangle((0, 0, WIDTH, 220), fill=RED)
    p.text((MARGIN, 62), _("Volunteer identity card"), size=46, fill="white")
    p.text((MARGIN, 135), _("Gongyi volunteer platform"), size=26, fill="white")


def _identity(p: Painter, card: Card, image: Image.Image, url: str) -> None:
    p.lines((MARGIN, 255), card.masked_name, size=56, width=430, max_lines=1)
    p.text((MARGIN, 338), _("No. %(number)s") % {"number": card.number}, size=26, fill=GREY)
    p.text((MARGIN, 378), card.stars_text, size=48, fill=GOLD)
    level = _("Level: %(name)s") % {"name": card.level_name}
    p.lines((MARGIN, 445), level, size=28, width=430, max_lines=1)
    x = WIDTH - MARGIN - QR_SIZE
    image.paste(images.qr(url, QR_SIZE), (x, 255))
    p.text((x + QR_SIZE // 2, 440), _("Scan to open"), size=20, fill=GREY, anchor="ma")


def _hours(p: Painter, card: Card) -> None:
    p.draw.line((MARGIN, 500, WIDTH - MARGIN, 500), fill="#e6d9cc", width=2)
    p.text((MARGIN, 522), card.hours, size=72, fill=RED)
    x = MARGIN + p.width(card.hours, 72) + 16
    p.text((x, 540), _("hours"), size=28)
    p.text((x, 578), _("of confirmed volunteer service"), size=22, fill=GREY)


def _badges(p: Painter, card: Card) -> None:
    p.text((MARGIN, 632), _("Badges"), size=28)
    if not card.badges:
        p.text((MARGIN, 680), _("None yet"), size=24, fill=GREY)
        return
    x, y, size = MARGIN, 676, 24
    for name in card.badges:
        pill = p.width(name, size) + 32
        if x + pill > WIDTH - MARGIN:
            x, y = MARGIN, y + 54
            if y > 730:  # two rows at most
                break
        p.draw.rounded_rectangle((x, y, x + pill, y + 42), radius=21, fill="#fbe9d0")
        p.text((x + 16, y + 8), name, size=size, fill="#8a5300")
        x += pill + 12


def _lists(p: Painter, card: Card) -> None:
    width = WIDTH - 2 * MARGIN
    none = _("None yet")
    p.text((MARGIN, 790), _("Teams"), size=24, fill=GREY)
    p.lines((MARGIN, 826), "、".join(card.teams) or none, size=24, width=width, max_lines=1)
    p.text((MARGIN, 872), _("Recent projects"), size=24, fill=GREY)
    y = 908
    for title in card.projects[:2] or [none]:  # one a line: no line starts with "、"
        y = p.lines((MARGIN, y), title, size=24, width=width, max_lines=1)


def render(card: Card, url: str) -> tuple[Image.Image, list[str]]:
    """The card image and every string drawn on it. FontMissing (503) without the font."""
    images.font(26)  # fail before drawing anything when the font is not installed
    image = Image.new("RGB", images.PHONE_SIZE, PAPER)
    painter = Painter(image)
    _header(painter)
    _identity(painter, card, image, url)
    _hours(painter, card)
    _badges(painter, card)
    _lists(painter, card)
    return image, painter.drawn


def png(card: Card, url: str) -> bytes:
    """The card as PNG bytes, from the cache when nothing on it changed."""
    address = hashlib.sha256(url.encode()).hexdigest()[:16]
    key = f"growth:card-png:{card.version()}:{get_language()}:{address}"
    body = cache.get(key)
    if body is None:
        image, _texts = render(card, url)
        body = images.png_bytes(image)
        cache.set(key, body, CACHE_SECONDS)
    return body
