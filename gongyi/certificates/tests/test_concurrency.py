"""Certificate and passport numbers stay unique under real concurrency.

Threads with their own connections request certificates at the same instant. On PostgreSQL
the counter row's lock serialises them; SQLite's IMMEDIATE transactions serialise writers
anyway (a smaller run there). A control shows the race is real: numbering by "count the
certificates, add one" without a lock hands the same number out twice.
"""

import time

import pytest
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from gongyi.certificates import numbers, services
from gongyi.certificates.models import Certificate, Passport
from gongyi.certificates.tests.conftest import make_record
from gongyi.signups.tests.conftest import make_project
from gongyi.testing.people import make_volunteer
from gongyi.testing.threads import run_at_once

on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: row locks and many concurrent connections "
    "(run with DATABASE_URL=postgresql://…)",
)


def served_volunteers(org, n: int) -> list:
    project = make_project(org)
    people = [make_volunteer(real_name=f"并发{i}") for i in range(n)]
    for person in people:
        make_record(person, project, minutes=60)
    return people


def naive_number(year: int) -> str:
    """NEVER do this: count, then number, without a lock (the control)."""
    with transaction.atomic():
        taken = Certificate.objects.filter(number__startswith=f"ZM{year}").count()
        time.sleep(0.02)  # the gap any real request has between its read and its write
        return f"ZM{year}{taken + 1:08d}"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_60_concurrent_requests_get_60_distinct_consecutive_numbers(org):
    people = served_volunteers(org, 60)
    issued = run_at_once(
        [lambda v=v: services.certificate_request(volunteer=v) for v in people], workers=30
    )
    numbers = sorted(c.number for c in issued)
    year = timezone.localdate().year
    assert numbers == [f"ZM{year}{i:08d}" for i in range(1, 61)]
    assert Certificate.objects.count() == 60


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_control_naive_numbering_repeats_numbers(org):
    served_volunteers(org, 1)
    year = timezone.localdate().year
    numbers = run_at_once([lambda: naive_number(year) for _ in range(20)], workers=20)
    assert len(set(numbers)) < len(numbers)  # the race the counter's lock prevents


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_passport_issues_get_distinct_numbers(district, district_admin):
    people = [make_volunteer(real_name=f"护照{i}") for i in range(30)]
    passports = [services.passport_apply(volunteer=v, district=district) for v in people]
    issued = run_at_once(
        [lambda p=p: services.passport_issue(actor=district_admin, passport=p) for p in passports],
        workers=15,
    )
    assert sorted(p.number for p in issued) == [f"HZ310101{i:06d}" for i in range(1, 31)]
    assert Passport.objects.filter(status="issued").count() == 30


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_on_any_database():
    """Smaller, on the counter alone, so it runs on SQLite too (no ledger rows to flush:
    SQLite's append-only triggers refuse the DELETE a transactional test ends with)."""
    taken = run_at_once(
        [lambda: _retry_when_locked(lambda: numbers.certificate_number(2026))] * 24, workers=8
    )
    assert sorted(taken) == [f"ZM2026{i:08d}" for i in range(1, 25)]


def _retry_when_locked(call):
    """SQLite's shared in-memory TEST database answers "table is locked" at once instead of
    waiting (its busy timeout does not apply to shared-cache locks); the attempt rolled back
    whole, so retry it."""
    for _attempt in range(500):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.005)
    raise AssertionError("the database stayed locked")
