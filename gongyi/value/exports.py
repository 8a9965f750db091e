"""The value tables as rows for `core.exports` (CSV with a BOM, XLSX): breakdowns and lists."""

from django.utils.translation import gettext as _

from gongyi.value.selectors import Valuation


def breakdown_rows(valuation: Valuation) -> list[list]:
    """Year, city, category, occupation, wage, hours, value, the table used and how."""
    rows = [
        [
            _("Year"),
            _("City"),
            _("Main category"),
            _("Occupation"),
            _("Hourly wage (yuan)"),
            _("Hours"),
            _("Value (yuan)"),
            _("Wage table"),
            _("Note"),
        ]
    ]
    for row in valuation.rows:
        note = []
        if row.is_default:
            note.append(_("default wage"))
        if row.table is None:
            note.append(_("no wage table yet"))
        elif row.how != "exact":
            note.append(str(row.how_label))
        rows.append(
            [
                row.year,
                row.city.name,
                row.category,
                row.occupation,
                row.wage,
                row.hours,
                row.value,
                "" if row.table is None else f"{row.table.city.name} {row.table.year}",
                "; ".join(note),
            ]
        )
    rows.append(_total_row(valuation, width=9, label_at=0, hours_at=5, value_at=6))
    return rows


def _total_row(valuation: Valuation, *, width: int, label_at: int, hours_at: int, value_at: int):
    row = [""] * width
    row[label_at] = _("Total (rounded once, half-up to 0.01 yuan)")
    row[hours_at] = valuation.hours
    row[value_at] = valuation.value
    return row


def named_rows(title: str, named: list[tuple[str, Valuation]]) -> list[list]:
    """One line per district or project: its name, hours and value."""
    rows = [[title, _("Hours"), _("Value (yuan)")]]
    for name, valuation in named:
        rows.append([name, valuation.hours, valuation.value])
    return rows
