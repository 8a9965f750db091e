"""Working days (工作日): Monday to Friday, except public holidays, plus make-up working days.

Deadlines count whole working days after a date: the 10 working days to confirm hours, the 5
working days for the organisation to answer a dispute. The exceptions to the plain week live
in the WorkdayOverride table (seeded from chinese-calendar, extended by the city admin).
"""

import datetime
from collections.abc import Mapping

ONE_DAY = datetime.timedelta(days=1)


class WorkCalendar:
    """The override table read once; use one instance for many deadlines (a task's run)."""

    def __init__(self, overrides: Mapping[datetime.date, bool]):
        self.overrides = overrides

    @classmethod
    def load(cls) -> "WorkCalendar":
        from gongyi.service.models import WorkdayOverride

        return cls(dict(WorkdayOverride.objects.values_list("date", "is_workday")))

    def is_workday(self, day: datetime.date) -> bool:
        found = self.overrides.get(day)
        return found if found is not None else day.weekday() < 5

    def add_working_days(self, day: datetime.date, n: int) -> datetime.date:
        """The n-th working day after `day` (`day` itself does not count); n ≥ 0."""
        if n < 0:
            raise ValueError("n must not be negative")
        while n:
            day += ONE_DAY
            if self.is_workday(day):
                n -= 1
        return day


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar.load().is_workday(day)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day`: `add_working_days(date(2026, 9, 30), 10)` is Oct 20."""
    return WorkCalendar.load().add_working_days(day, n)
