"""Working days: weekends and public holidays off, make-up days on; the 10-day deadline.

chinese-calendar 1.11.0 has the 2026 schedule: National Day Oct 1–7 off (after the
Mid-Autumn weekend Sep 25–27), make-up working days Sunday Sep 20 and Saturday Oct 10.
"""

import datetime
import io

import pytest
from django.core.management import call_command

from gongyi.notices.models import Notice
from gongyi.service import holidays, selectors, services
from gongyi.service.models import OverdueShift, WorkdayOverride
from gongyi.service.tests.conftest import attend, local, past_shift, place
from gongyi.service.workdays import WorkCalendar, add_working_days, is_workday

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def official_schedule(db):
    """The seeding migration filled the table; a flushed test database may have lost it."""
    holidays.load(WorkdayOverride)


def test_the_2026_national_day_schedule_is_seeded():
    assert not is_workday(D(2026, 10, 1)) and not is_workday(D(2026, 10, 7))
    assert is_workday(D(2026, 10, 10))  # Saturday, make-up working day
    assert is_workday(D(2026, 9, 20))  # Sunday, make-up working day
    assert not is_workday(D(2026, 9, 25))  # Mid-Autumn, a Friday
    assert WorkdayOverride.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    assert WorkdayOverride.objects.get(date=D(2026, 10, 10)).name == "国庆节调休上班"


def test_ten_working_days_across_national_day_2026():
    # Sep 30 (Wed) + 10 working days: Oct 8, 9, 10 (Sat, make-up), 12–16, 19, 20.
    assert add_working_days(D(2026, 9, 30), 10) == D(2026, 10, 20)
    # Without the holiday table it would be Oct 14: the table matters.
    assert WorkCalendar({}).add_working_days(D(2026, 9, 30), 10) == D(2026, 10, 14)


def test_plain_weeks_skip_weekends():
    assert add_working_days(D(2026, 6, 5), 1) == D(2026, 6, 8)  # Friday → Monday
    assert add_working_days(D(2026, 6, 6), 5) == D(2026, 6, 12)  # from a Saturday
    assert add_working_days(D(2026, 6, 8), 0) == D(2026, 6, 8)


def test_the_city_admin_adds_next_years_schedule():
    """chinese-calendar stops at 2026: a 2027 holiday exists only once someone enters it."""
    assert is_workday(D(2027, 10, 1))  # a Friday; unknown to the package
    WorkdayOverride.objects.create(date=D(2027, 10, 1), is_workday=False, name="国庆节")
    assert not is_workday(D(2027, 10, 1))
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 4)


def test_load_holidays_is_idempotent_and_keeps_admin_edits():
    count = WorkdayOverride.objects.count()
    WorkdayOverride.objects.filter(date=D(2026, 10, 1)).update(name="国庆")
    out = io.StringIO()
    call_command("load_holidays", stdout=out)
    assert "0 dates added, 0 updated" in out.getvalue()
    assert WorkdayOverride.objects.count() == count
    assert WorkdayOverride.objects.get(date=D(2026, 10, 1)).name == "国庆"
    call_command("load_holidays", "--update", stdout=out)
    assert WorkdayOverride.objects.get(date=D(2026, 10, 1)).name == "国庆节"


def test_hours_deadline_across_the_holiday_and_the_overdue_flag(
    project, volunteer, leader, org_admin, district_admin
):
    """A shift ending on Sep 30, 2026 must be confirmed by Oct 20 (not Oct 14)."""
    shift = past_shift(project, start=local(2026, 9, 30, 9))
    attend(place(volunteer, shift))
    assert selectors.hours_deadline(shift) == D(2026, 10, 20)

    # On the last day, still in time: nothing flagged, the leader may confirm.
    assert services.flag_overdue_hours(now=local(2026, 10, 20, 23, 59)) == 0
    assert not OverdueShift.objects.exists()

    # The day after: flagged once, the org admin and the district admin told.
    assert services.flag_overdue_hours(now=local(2026, 10, 21, 8)) == 1
    assert services.flag_overdue_hours(now=local(2026, 10, 22, 8)) == 0  # idempotent
    assert OverdueShift.objects.get().deadline == D(2026, 10, 20)
    for user in (org_admin, district_admin):
        notices = Notice.objects.filter(user=user, kind="hours.overdue")
        assert notices.count() == 1
        assert "2026-10-20" in notices.get().body
    assert not Notice.objects.filter(user=leader, kind="hours.overdue").exists()
