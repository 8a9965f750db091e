"""Printable A4 PDFs of certificates and passports, in Chinese (or English) with an embedded font.

reportlab with the TrueType font WenQuanYi Zen Hei (fonts-wqy-zenhei), embedded as a subset
so the PDF prints the same anywhere. Never reportlab's built-in `STSong-Light`: it is not
embedded and renders blank or substituted on many readers. When the font is missing the
functions raise `FontMissing` (a 503 for pages and the API), never a server error.

Labels are translated under `translation.override(language)`; names, places and activities
stay as they were recorded.
"""

import functools
import io
import threading
from datetime import date
from xml.sax.saxutils import escape

import segno
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from gongyi.core.errors import ServiceError
from gongyi.core.fonts import find_font

FONT = "WQY"
RED = colors.HexColor("#c8102e")
GREY = colors.HexColor("#666666")
LINE = colors.HexColor("#bbbbbb")
_lock = threading.Lock()


class FontMissing(ServiceError):
    """The server cannot print Chinese: the embedded font is not installed."""

    status = 503


def register_font() -> str:
    """Register the embedded font once per process; FontMissing when it is not installed."""
    path = find_font()
    if path is None:
        raise FontMissing(
            "font_missing",
            _(
                "Certificates cannot be printed right now: the Chinese font is not installed "
                "on the server. Please try again later."
            ),
        )
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


# --- small pieces -----------------------------------------------------------------------------


def _style(size: float, *, leading: float | None = None, **extra) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}",
        fontName=FONT,
        fontSize=size,
        leading=leading or size * 1.45,
        wordWrap="CJK",  # Chinese has no spaces: break between any two characters
        **extra,
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def day(d: date | None) -> str:
    """A date as a certificate writes it: 2026年3月1日, or 1 March 2026."""
    if d is None:
        return "—"
    if (translation.get_language() or "").startswith("zh"):
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {d:%B} {d.year}"


class QrCode(Flowable):
    """A QR code (segno) drawn as vector squares: sharp at any print size."""

    def __init__(self, data: str, size: float):
        super().__init__()
        self.matrix = [list(row) for row in segno.make(data, error="m").matrix_iter(border=2)]
        self.width = self.height = size

    def draw(self) -> None:
        count = len(self.matrix)
        cell = self.width / count
        path = self.canv.beginPath()
        for y, row in enumerate(self.matrix):
            x = 0
            while x < count:  # one rectangle per run of dark modules
                if not row[x]:
                    x += 1
                    continue
                run = x
                while run < count and row[run]:
                    run += 1
                path.rect(x * cell, self.height - (y + 1) * cell, (run - x) * cell, cell)
                x = run
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


class Stamp(Flowable):
    """A round red stamp with an organisation's name, for the passport."""

    def __init__(self, name: str, lines: list[str], size: float = 38 * mm):
        super().__init__()
        self.name, self.lines = name, lines
        self.width = self.height = size

    def draw(self) -> None:
        c, r = self.canv, self.width / 2
        c.setStrokeColor(RED)
        c.setFillColor(RED)
        c.setLineWidth(1.6)
        c.circle(r, r, r - 2)
        c.setLineWidth(0.6)
        c.circle(r, r, r - 5)
        # The name (up to three lines), then the smaller lines, centred as one block.
        lines = [(line, 10) for line in _chunks(self.name, 7)[:3]]
        lines += [(line, 7) for line in self.lines if line]
        gap = 1.3
        y = r + sum(size * gap for _, size in lines) / 2
        for text, size in lines:
            y -= size * gap
            c.setFont(FONT, size)
            c.drawCentredString(r, y + size * 0.2, text)


def _chunks(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _grid(cells: list, columns: int, col_width: float) -> Table:
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[col_width] * columns)
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def _facts(pairs: list[tuple[str, str]], label_width: float, total_width: float) -> Table:
    label, value = _style(10.5, textColor=GREY), _style(10.5)
    table = Table(
        [[_p(k, label), _p(v, value)] for k, v in pairs],
        colWidths=[label_width, total_width - label_width],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _verification(lines: list[str], verify_url: str, width: float) -> Table:
    """The closing block: who issued it and how to check it, beside the QR code."""
    text = _style(10, leading=15)
    qr_size = 32 * mm
    body = [_p(line, text) for line in lines]
    body.append(_p(verify_url, _style(7.5, textColor=GREY)))
    table = Table([[body, QrCode(verify_url, qr_size)]], colWidths=[width - qr_size, qr_size])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return table


def _document(buffer, *, title: str, subject: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        subject=subject,
        author=_("Gongyi volunteer platform"),
        creator="Gongyi",
    )


def _page_frame(footer: str, *, revoked: bool):
    """Border, footer and (for a revoked certificate) a watermark on every page."""

    def draw(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setStrokeColor(RED)
        canvas.setLineWidth(1.5)
        canvas.rect(9 * mm, 9 * mm, width - 18 * mm, height - 18 * mm)
        canvas.setLineWidth(0.4)
        canvas.rect(11 * mm, 11 * mm, width - 22 * mm, height - 22 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        page = _("page %(n)s") % {"n": doc.page}
        canvas.drawCentredString(width / 2, 13.5 * mm, f"{footer} · {page}")
        if revoked:
            canvas.setFillColor(colors.Color(0.78, 0.06, 0.18, alpha=0.22))
            canvas.setFont(FONT, 64)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, _("REVOKED"))
        canvas.restoreState()

    return draw


# --- the certificate --------------------------------------------------------------------------


def certificate_pdf(certificate, rows, *, verify_url: str, language: str = "zh-hans") -> bytes:
    """The certificate as an A4 PDF: `rows` are its covered records (selectors.covered_rows)."""
    register_font()
    with translation.override(language):
        buffer = io.BytesIO()
        title = _("Certificate of Volunteer Service")
        doc = _document(buffer, title=title, subject=certificate.number)
        story = _certificate_story(certificate, rows, verify_url, doc.width, title)
        footer = _("Certificate No. %(number)s · verification code %(code)s") % {
            "number": certificate.number,
            "code": certificate.code,
        }
        frame = _page_frame(footer, revoked=not certificate.is_live)
        doc.build(story, onFirstPage=frame, onLaterPages=frame)
    return buffer.getvalue()


def _certificate_story(certificate, rows, verify_url: str, width: float, title: str) -> list:
    id_type = certificate.id_type_label
    total = certificate.hours
    story = [
        _p(title, _style(26, leading=34, alignment=TA_CENTER, textColor=RED)),
        _p(
            _("No. %(number)s") % {"number": certificate.number},
            _style(10, alignment=TA_RIGHT, textColor=GREY),
        ),
        Spacer(0, 4 * mm),
        _p(
            _(
                "This is to certify that %(name)s (%(id_type)s %(id_number)s, volunteer number "
                "%(number)s) took part in volunteer service from %(first)s to %(last)s, recorded "
                "by the organisations below, for a total of %(hours)s hours."
            )
            % {
                "name": certificate.holder_name,
                "id_type": id_type,
                "id_number": certificate.id_number_masked,
                "number": certificate.volunteer_number,
                "first": day(certificate.first_served_on),
                "last": day(certificate.last_served_on),
                "hours": total,
            },
            _style(13, leading=24, firstLineIndent=26),
        ),
        Spacer(0, 4 * mm),
        _facts(
            [
                (pgettext("certificate", "Name"), certificate.holder_name),
                (pgettext("certificate", "ID type"), str(id_type)),
                (pgettext("certificate", "ID number"), certificate.id_number_masked),
                (pgettext("certificate", "Volunteer number"), certificate.volunteer_number),
                (
                    pgettext("certificate", "Total service time"),
                    _("%(hours)s hours (%(n)s records)")
                    % {"hours": total, "n": certificate.record_count},
                ),
                (
                    pgettext("certificate", "Period of service"),
                    f"{day(certificate.first_served_on)} — {day(certificate.last_served_on)}",
                ),
                (pgettext("certificate", "Service content"), certificate.content or "—"),
                (
                    pgettext("certificate", "Recording organisations"),
                    "、".join(certificate.organisations),
                ),
            ],
            30 * mm,
            width,
        ),
        Spacer(0, 5 * mm),
        _p(pgettext("certificate", "Service records"), _style(13, leading=18)),
        Spacer(0, 1.5 * mm),
        _records_table(rows, width),
        Spacer(0, 6 * mm),
    ]
    closing = [
        _("Issued by: %(issuer)s") % {"issuer": certificate.issuer},
        _("Date of issue: %(day)s") % {"day": day(timezone.localdate(certificate.issued_at))},
        _("Certificate number: %(number)s") % {"number": certificate.number},
        _("Verification code: %(code)s") % {"code": certificate.code},
        _(
            "Scan the QR code, or open the address below and enter the number and code, to check "
            "that this certificate is genuine. Certificates are issued free of charge."
        ),
    ]
    if not certificate.is_live:
        closing.insert(0, _("REVOKED on %(day)s") % {"day": day(certificate.revoked_at.date())})
    story.append(KeepTogether(_verification(closing, verify_url, width)))
    return story


CELL_SIZE, CELL_LEADING, CELL_PADDING = 8.5, 11.5, 3


def wrap(text: str, width: float, size: float = CELL_SIZE) -> str:
    """Break text into lines no wider than `width`, between any two characters (Chinese has
    no spaces). Plain lines in table cells draw far faster than reportlab Paragraphs, which
    re-measure every cell on every layout pass; a certificate has hundreds of cells."""
    lines, line, used = [], "", 0.0
    for char in str(text):
        w = _char_width(char, size)
        if line and used + w > width:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += w
    lines.append(line)
    return "\n".join(lines)


@functools.cache
def _char_width(char: str, size: float) -> float:
    return pdfmetrics.stringWidth(char, FONT, size)


def _records_table(rows, width: float) -> Table:
    widths = [19 * mm, 40 * mm, 34 * mm, 29 * mm, 0, 14 * mm]
    widths[4] = width - sum(widths)
    inner = [w - 2 * CELL_PADDING for w in widths]
    head = [
        pgettext("certificate", "Date"),
        pgettext("certificate", "Activity"),
        pgettext("certificate", "Place"),
        pgettext("certificate", "Service content"),
        pgettext("certificate", "Organisation"),
        pgettext("certificate", "Hours"),
    ]
    data = [[wrap(h, w) for h, w in zip(head, inner, strict=True)]]
    for row in rows:
        cells = (row.served_on.isoformat(), row.activity, row.place, row.content)
        data.append(
            [
                *(wrap(text, w) for text, w in zip(cells, inner, strict=False)),
                wrap(row.organisation, inner[4]),
                row.hours,
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("BACKGROUND", (0, 0), (-1, 0), RED),
                ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.3, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# --- the passport ----------------------------------------------------------------------------


def passport_pdf(passport, summary, *, verify_url: str, language: str = "zh-hans") -> bytes:
    """An issued passport as an A4 PDF: identity (ID masked), stars, hours by year, stamps."""
    register_font()
    with translation.override(language):
        buffer = io.BytesIO()
        title = _("Public-welfare passport")
        doc = _document(buffer, title=title, subject=passport.number)
        story = _passport_story(passport, summary, verify_url, doc.width, title)
        footer = _("Passport No. %(number)s · verification code %(code)s") % {
            "number": passport.number,
            "code": passport.code,
        }
        frame = _page_frame(footer, revoked=False)
        doc.build(story, onFirstPage=frame, onLaterPages=frame)
    return buffer.getvalue()


def _passport_story(passport, summary, verify_url: str, width: float, title: str) -> list:
    volunteer = passport.volunteer
    story = [
        _p(title, _style(26, leading=34, alignment=TA_CENTER, textColor=RED)),
        _p(
            _("No. %(number)s") % {"number": passport.number},
            _style(10, alignment=TA_RIGHT, textColor=GREY),
        ),
        Spacer(0, 4 * mm),
        _facts(
            [
                (pgettext("certificate", "Name"), volunteer.real_name),
                (pgettext("certificate", "ID type"), str(volunteer.get_id_type_display())),
                (pgettext("certificate", "ID number"), volunteer.id_number_masked),
                (pgettext("certificate", "Volunteer number"), volunteer.number),
                (pgettext("certificate", "Issuing district"), passport.district.name),
                (
                    pgettext("certificate", "Date of issue"),
                    day(timezone.localdate(passport.decided_at)),
                ),
                (pgettext("certificate", "Stars"), f"{summary.stars_text}  ({summary.stars}/5)"),
                (
                    pgettext("certificate", "Total service time"),
                    _("%(hours)s hours") % {"hours": summary.hours},
                ),
            ],
            32 * mm,
            width,
        ),
        Spacer(0, 5 * mm),
        _p(pgettext("certificate", "Hours by year"), _style(13, leading=18)),
        Spacer(0, 1.5 * mm),
    ]
    if summary.years:
        story.append(_years_table(summary, width))
    else:
        story.append(_p(_("No service hours yet."), _style(10.5, textColor=GREY)))
    story += [
        Spacer(0, 5 * mm),
        _p(pgettext("certificate", "Stamps"), _style(13, leading=18)),
        Spacer(0, 1.5 * mm),
    ]
    if summary.stamps:
        stamps = [
            Stamp(
                s.name,
                [
                    s.kind_label,
                    _("%(hours)s hours") % {"hours": s.hours},
                    _("since %(day)s") % {"day": s.first_served_on.isoformat()},
                ],
            )
            for s in summary.stamps
        ]
        story.append(_grid(stamps, 4, width / 4))
    else:
        story.append(_p(_("No stamps yet."), _style(10.5, textColor=GREY)))
    closing = [
        _("Issued by: %(district)s") % {"district": passport.district.name},
        _("Passport number: %(number)s") % {"number": passport.number},
        _("Verification code: %(code)s") % {"code": passport.code},
        _(
            "Scan the QR code, or open the address below and enter the number and code, to check "
            "that this passport is genuine."
        ),
    ]
    story += [Spacer(0, 6 * mm), KeepTogether(_verification(closing, verify_url, width))]
    return story


def _years_table(summary, width: float) -> Table:
    head, cell = _style(9.5, textColor=colors.white), _style(9.5)
    data = [[_p(pgettext("certificate", "Year"), head), _p(pgettext("certificate", "Hours"), head)]]
    data += [[_p(str(year), cell), _p(h, cell)] for year, h in summary.year_rows]
    table = Table(data, colWidths=[width / 2, width / 2], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), RED),
                ("GRID", (0, 0), (-1, -1), 0.3, LINE),
            ]
        )
    )
    return table


def blank_pdf(text: str = "志愿服务证明") -> bytes:
    """A one-page PDF with one line in the same embedded font: the benchmark's baseline."""
    from reportlab.pdfgen.canvas import Canvas

    register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont(FONT, 26)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 40 * mm, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
