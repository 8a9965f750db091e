"""The platform's local time. The cities it serves keep China Standard Time, so every day,
month and year it counts (a service day, "this year", a day's traffic) is Asia/Shanghai's."""

import datetime
import zoneinfo

from django.utils import timezone

LOCAL_TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def local_today() -> datetime.date:
    return timezone.now().astimezone(LOCAL_TZ).date()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The start of the local day, as an aware datetime (for `>=` filters on timestamps)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL_TZ)
