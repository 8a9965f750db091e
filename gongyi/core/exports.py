"""Tables as CSV and XLSX downloads: the roster, rankings, dashboard and value tables.

CSV is UTF-8 with a BOM so Excel opens the Chinese text correctly. Text that starts like a
formula (= + - @) is defused with a leading apostrophe; numbers stay numbers in XLSX.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
NUMBERS = (int, float, Decimal)


def _defuse(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _cell(value):
    if isinstance(value, NUMBERS) and not isinstance(value, bool):
        return value
    return _defuse("" if value is None else str(value))


def as_csv(rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def as_xlsx(rows: Iterable[Sequence], *, title: str = "data") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_response(rows: Iterable[Sequence], *, filename: str, fmt: str) -> HttpResponse:
    """A download of `rows` (the header row first) as `filename`.csv or .xlsx."""
    rows = list(rows)
    body = as_xlsx(rows, title=filename) if fmt == "xlsx" else as_csv(rows)
    fmt = "xlsx" if fmt == "xlsx" else "csv"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = escape_uri_path(f"{filename}.{fmt}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
