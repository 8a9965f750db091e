"""The Chinese font the server draws with: PDFs (reportlab) and share images (Pillow).

WenQuanYi Zen Hei (Debian: fonts-wqy-zenhei) is TrueType, which both reportlab and Pillow load,
and covers the GB 2312 and GBK characters a name or a place may use. `GONGYI_PDF_FONT` (or the
`PDF_FONT` setting) points at another file. When no font is installed the callers answer
"font missing" (503), never a server error.
"""

import functools
import os

from django.conf import settings
from fontTools.ttLib import TTCollection, TTFont

# Where Debian, Ubuntu, Fedora and Alpine put WenQuanYi Zen Hei.
FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/local/share/fonts/wqy-zenhei.ttc",
)


def find_font() -> str | None:
    """The path of the Chinese font, or None when none is installed."""
    configured = os.environ.get("GONGYI_PDF_FONT") or getattr(settings, "PDF_FONT", "")
    for path in (configured, *FONT_PATHS):
        if path and os.path.isfile(path):
            return path
    return None


@functools.cache
def _codepoints(path: str) -> frozenset[int]:
    if path.endswith(".ttc"):
        font = TTCollection(path, lazy=True).fonts[0]
    else:
        font = TTFont(path, lazy=True)
    return frozenset(font.getBestCmap())


def missing_glyphs(text: str, path: str | None = None) -> set[str]:
    """The characters of `text` the font has no glyph for (they would print as boxes)."""
    path = path or find_font()
    if path is None:
        return set(text) - {" ", "\n"}
    cmap = _codepoints(path)
    return {ch for ch in text if ch not in " \n\t" and ord(ch) not in cmap}
