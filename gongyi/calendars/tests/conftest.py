"""People, projects and shifts at known Shanghai times for the calendar tests."""

import datetime

import pytest

from gongyi.calendars.periods import local_today
from gongyi.core.clock import LOCAL_TZ
from gongyi.signups.tests.conftest import make_project, make_shift


def shanghai(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL_TZ)


@pytest.fixture
def next_month() -> datetime.date:
    """The 10th of next month (Shanghai): always in the future, always in the feed window."""
    today = local_today()
    return (today.replace(day=1) + datetime.timedelta(days=40)).replace(day=10)


@pytest.fixture
def project(org):
    return make_project(org, title="社区老人智能手机培训")


@pytest.fixture
def morning_shift(project, next_month):
    """09:00–12:00 Shanghai on the 10th of next month (01:00–04:00 UTC)."""
    return make_shift(project, start=shanghai(next_month, 9), hours=3, capacity=5)


def bearer(user) -> dict:
    from gongyi.accounts.services import create_api_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}
