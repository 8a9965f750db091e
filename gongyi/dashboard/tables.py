"""The dashboard's tables, built from a snapshot's data: the same rows under each chart, in
the CSV and XLSX exports and (as series) in the charts."""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from gongyi.core.exports import table_response
from gongyi.dashboard.selectors import AGE_BAND_LABELS, GENDER_LABELS, GENDERS

NAMES = ("figures", "months", "categories", "districts", "age_gender", "traffic")
TITLES = {
    "figures": gettext_lazy("Key figures"),
    "months": gettext_lazy("By month this year"),
    "categories": gettext_lazy("Service hours by category"),
    "districts": gettext_lazy("Service hours by district"),
    "age_gender": gettext_lazy("Registered volunteers by age and gender"),
    "traffic": gettext_lazy("Platform visits, last 30 days"),
}


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list]


def hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def _label(row: dict) -> str:
    if row.get("name_en") and (get_language() or "").startswith("en"):
        return row["name_en"]
    return row["name"]


def _minute(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M") if value else ""


def figures_rows(data: dict) -> list[list]:
    value = data.get("value") or {}
    traffic = data["traffic"]
    rows = [
        [_("Registered volunteers"), data["volunteers"]["total"]],
        [_("New volunteers this year"), data["volunteers"]["this_year"]],
        [_("Active volunteers (last 12 months)"), data["active_volunteers"]],
        [_("Verified organisations"), data["organisations"]],
        [_("Projects published this year"), data["projects"]["this_year"]],
        [_("Projects published, all time"), data["projects"]["total"]],
        [_("Service hours this year"), hours(data["hours"]["this_year_minutes"])],
        [_("Service hours, all time"), hours(data["hours"]["total_minutes"])],
        [_("Signups this year"), data["signups"]["this_year"]],
        [_("Signups, all time"), data["signups"]["total"]],
        [_("Economic value this year (yuan)"), value.get("this_year") or ""],
        [_("Economic value, all time (yuan)"), value.get("total") or ""],
        [_("Visits, last 30 days"), traffic["visits"]],
        [_("Peak concurrent visitors, last 30 days"), traffic["peak"]],
        [_("Peak minute"), _minute(traffic["peak_minute"])],
    ]
    return rows


def _table(name: str, headers: list, rows: list[list]) -> Table:
    return Table(name, str(TITLES[name]), headers, rows)


def build(data: dict) -> dict[str, Table]:
    """Every table of the region's dashboard (districts only for a city)."""
    minutes = data["minutes_by_month"]
    signups = data["signups_by_month"]
    joined = data["new_volunteers_by_month"]
    tables = {
        "figures": _table("figures", [_("Figure"), _("Value")], figures_rows(data)),
        "months": _table(
            "months",
            [_("Month"), _("Service hours"), _("Signups"), _("New volunteers")],
            [
                [
                    f"{data['year']}-{m:02d}",
                    hours(minutes.get(str(m))),
                    signups.get(str(m), 0),
                    joined.get(str(m), 0),
                ]
                for m in range(1, 13)
            ],
        ),
        "categories": _table(
            "categories",
            [_("Category"), _("Service hours this year"), _("Service hours, all time")],
            [
                [_label(r), hours(r["minutes_this_year"]), hours(r["minutes"])]
                for r in data["categories"]
            ],
        ),
        "age_gender": _table(
            "age_gender",
            [_("Age"), *[str(GENDER_LABELS[g]) for g in GENDERS], _("Total")],
            [
                [
                    str(AGE_BAND_LABELS[r["band"]]),
                    *[r[g] for g in GENDERS],
                    sum(r[g] for g in GENDERS),
                ]
                for r in data["age_gender"]
            ],
        ),
        "traffic": _table(
            "traffic",
            [_("Day"), _("Visits"), _("Peak concurrent visitors"), _("Peak minute")],
            [
                [d["day"], d["visits"], d["peak"], _minute(d["peak_minute"])]
                for d in data["traffic"]["days"]
            ],
        ),
    }
    if data["districts"]:
        tables["districts"] = _table(
            "districts",
            [
                pgettext("dashboard column", "District"),
                _("Service hours this year"),
                _("Service hours, all time"),
            ],
            [
                [r["name"], hours(r["minutes_this_year"]), hours(r["minutes"])]
                for r in data["districts"]
            ],
        )
    return {name: tables[name] for name in NAMES if name in tables}


# Which columns of each table the charts draw (the first column is the labels).
CHART_COLUMNS = {
    "months": (1, 2, 3),
    "categories": (2,),
    "age_gender": (1, 2, 3),
    "traffic": (1, 2),
    "districts": (1, 2),
}


def _series(table: Table, columns: tuple[int, ...], label=lambda first: first) -> dict:
    """{"labels": the first column, "series": [{"name": header, "data": column}, ...]}."""
    return {
        "labels": [label(row[0]) for row in table.rows],
        "series": [
            {"name": table.headers[i], "data": [row[i] for row in table.rows]} for i in columns
        ],
    }


def charts(tables: dict[str, Table]) -> dict:
    """The series the charts draw (charts.js), in the page's language."""
    out = {
        name: _series(tables[name], columns)
        for name, columns in CHART_COLUMNS.items()
        if name in tables  # districts: a city's only
    }
    out["traffic"] = _series(tables["traffic"], CHART_COLUMNS["traffic"], lambda day: day[5:])
    return out


# --- exports --------------------------------------------------------------------------------


def export(table: Table, region_code: str, fmt: str) -> HttpResponse:
    """The table as a CSV (UTF-8 with BOM) or XLSX download, its header row first."""
    return table_response(
        [table.headers, *table.rows], filename=f"dashboard-{region_code}-{table.name}", fmt=fmt
    )
