"""Concurrent appends to one volunteer's chain keep one chain (PostgreSQL, real threads).

Twenty leaders confirm twenty shifts of the same volunteer at once: the volunteer-row lock
queues the appends, so seq runs 1..20 and every prev_hash is the hash before it. A control
appends the same way without the lock and collides (the race is real).
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongyi.service import ledger, services
from gongyi.service.models import ServiceRecord
from gongyi.service.tests.conftest import attend, past_shift, place
from gongyi.signups.tests.conftest import make_project
from gongyi.testing.threads import run_at_once

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: row locks and concurrent connections "
    "(run with DATABASE_URL=postgresql://…)",
)
N = 20


def twenty_shifts(org, volunteer):
    project = make_project(org)
    start = timezone.now().replace(microsecond=0) - timedelta(days=3)
    shifts = []
    for i in range(N):
        shift = past_shift(project, start=start + timedelta(minutes=5 * i))
        attend(place(volunteer, shift))
        shifts.append(shift)
    return shifts


def naive_append(volunteer, shift):
    """NEVER do this: read the last seq and hash, then insert, without the volunteer lock."""
    with transaction.atomic():
        last = (
            ServiceRecord.objects.filter(volunteer=volunteer)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        time.sleep(0.02)  # the gap any real request has between its read and its write
        seq, prev = (last[0] + 1, last[1]) if last else (1, ledger.GENESIS)
        record = ServiceRecord(
            volunteer=volunteer,
            seq=seq,
            prev_hash=prev,
            created_at=timezone.now(),
            **services.shift_content(shift),
            minutes=60,
            leader_name="x",
            source="entry",
        )
        record.hash = record.compute_hash()
        record.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_keep_one_chain(org, volunteer, org_admin):
    shifts = twenty_shifts(org, volunteer)
    results = run_at_once(
        [lambda s=s: services.confirm_shift_hours(actor=org_admin, shift=s) for s in shifts], N
    )
    assert sum(len(r.created) for r in results) == N
    seqs = list(
        ServiceRecord.objects.filter(volunteer=volunteer)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert seqs == list(range(1, N + 1))
    assert list(ledger.verify()) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_confirmation_of_one_shift_makes_one_record(org, volunteer, org_admin):
    (shift, *_) = twenty_shifts(org, volunteer)
    run_at_once([lambda: services.confirm_shift_hours(actor=org_admin, shift=shift)] * 10, 10)
    assert ServiceRecord.objects.filter(shift=shift).count() == 1


@pytest.mark.django_db(transaction=True)
def test_control_appending_without_the_lock_collides(org, volunteer):
    shifts = twenty_shifts(org, volunteer)
    outcomes = []

    def attempt(shift):
        try:
            naive_append(volunteer, shift)
            outcomes.append("ok")
        except IntegrityError:
            outcomes.append("collided")

    run_at_once([lambda s=s: attempt(s) for s in shifts], N)
    assert "collided" in outcomes, "the control should collide; if not, the test proves nothing"
