"""The official holiday schedule from chinese-calendar, as rows for WorkdayOverride.

chinese-calendar covers 2004–2026; later years' schedules (published each November by the
State Council) are added by the city admin in the admin. Used by the seeding migration and by
`manage.py load_holidays`, so it takes the model class instead of importing it.
"""

import datetime

import chinese_calendar


def official_days(first_year: int | None = None) -> list[tuple[datetime.date, bool, str]]:
    """(date, is_workday, name) for every public-holiday day and make-up working day."""
    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    days = [(d, False, names.get(n, n or "")) for d, n in chinese_calendar.holidays.items()]
    days += [
        (d, True, f"{names.get(n, n or '')}调休上班") for d, n in chinese_calendar.workdays.items()
    ]
    if first_year is not None:
        days = [day for day in days if day[0].year >= first_year]
    return sorted(days)


def load(model, *, first_year: int | None = None, update: bool = False) -> tuple[int, int]:
    """Create the missing rows (and with `update`, overwrite differing ones): (created, updated).

    Without `update`, a date the city admin has already entered is left as it is.
    """
    existing = {row.date: row for row in model.objects.all()}
    new, changed = [], []
    for day, is_workday, name in official_days(first_year):
        row = existing.get(day)
        if row is None:
            new.append(model(date=day, is_workday=is_workday, name=name[:50]))
        elif update and (row.is_workday, row.name) != (is_workday, name[:50]):
            row.is_workday, row.name = is_workday, name[:50]
            changed.append(row)
    model.objects.bulk_create(new, batch_size=500)
    model.objects.bulk_update(changed, ["is_workday", "name"], batch_size=500)
    return len(new), len(changed)
