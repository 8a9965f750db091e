"""The rotating QR token: current and previous 30-second windows only, bound to shift and
direction, impossible to forge; an old photo and a replay change nothing."""

from datetime import timedelta

import pytest
from django.core import signing

from gongyi.attendance import services
from gongyi.attendance.models import Attendance
from gongyi.attendance.services import (
    QR_SALT,
    AttendanceConflict,
    AttendanceRefused,
    qr_token,
    read_qr_token,
    scan,
)
from gongyi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_fresh_token_reads_back_as_its_shift_and_direction(shift, t0):
    token = qr_token(shift=shift, direction="in", now=t0)
    assert read_qr_token(token, now=t0) == (shift.pk, "in")
    token = qr_token(shift=shift, direction="out", now=t0)
    assert read_qr_token(token, now=t0) == (shift.pk, "out")


def test_the_token_changes_every_30_seconds(shift, t0):
    start = t0.replace(second=0)
    tokens = {
        qr_token(shift=shift, direction="in", now=start + timedelta(seconds=s)) for s in (0, 29)
    }
    assert len(tokens) == 1
    later = qr_token(shift=shift, direction="in", now=start + timedelta(seconds=30))
    assert later not in tokens


@pytest.mark.parametrize("age", [0, 29, 30, 59])
def test_current_and_previous_window_are_accepted(shift, t0, age):
    made = t0.replace(second=0)  # the start of a window
    token = qr_token(shift=shift, direction="in", now=made)
    assert read_qr_token(token, now=made + timedelta(seconds=age)) == (shift.pk, "in")


@pytest.mark.parametrize("age", [60, 61, 300, 86400])
def test_a_photo_of_an_old_code_has_expired(shift, t0, age):
    made = t0.replace(second=0)
    token = qr_token(shift=shift, direction="in", now=made)
    with pytest.raises(AttendanceRefused) as refused:
        read_qr_token(token, now=made + timedelta(seconds=age))
    assert refused.value.code == "token_expired"
    assert "30" in str(refused.value.message)


def test_a_token_from_the_future_is_refused(shift, t0):
    token = qr_token(shift=shift, direction="in", now=t0 + timedelta(minutes=5))
    with pytest.raises(AttendanceRefused) as refused:
        read_qr_token(token, now=t0)
    assert refused.value.code == "token_invalid"


@pytest.mark.parametrize(
    "bad", ["", "abc", "1.in.1", "1.in.1:forged", "::::", "x" * 500, "１.in.1:zz", "\x00"]
)
def test_garbage_is_not_a_token(bad, t0):
    with pytest.raises(AttendanceRefused) as refused:
        read_qr_token(bad, now=t0)
    assert refused.value.code == "token_invalid"


def test_a_token_cannot_be_moved_to_another_shift_or_direction(shift, t0):
    token = qr_token(shift=shift, direction="in", now=t0)
    value, signature = token.rsplit(":", 1)
    _, direction, window = value.split(".")
    for forged in (f"{shift.pk + 1}.{direction}.{window}", f"{shift.pk}.out.{window}"):
        with pytest.raises(AttendanceRefused):
            read_qr_token(f"{forged}:{signature}", now=t0)


def test_a_token_signed_with_another_salt_is_refused(shift, t0):
    window = services.window_of(t0)
    other = signing.Signer(salt=QR_SALT + ".other").sign(f"{shift.pk}.in.{window}")
    with pytest.raises(AttendanceRefused):
        read_qr_token(other, now=t0)


def test_a_well_signed_but_odd_payload_is_refused(shift, t0):
    window = services.window_of(t0)
    for payload in (f"{shift.pk}.sideways.{window}", f"{shift.pk}.in", "a.in.b"):
        token = signing.Signer(salt=QR_SALT).sign(payload)
        with pytest.raises(AttendanceRefused):
            read_qr_token(token, now=t0)


def test_an_unknown_direction_cannot_be_made(shift, t0):
    with pytest.raises(AttendanceRefused):
        qr_token(shift=shift, direction="up", now=t0)


def test_scanning_an_expired_code_changes_nothing(signup, shift, volunteer, t0):
    token = qr_token(shift=shift, direction="in", now=t0)
    with pytest.raises(AttendanceRefused) as refused:
        scan(user=volunteer.user, token=token, now=t0 + timedelta(minutes=2))
    assert refused.value.code == "token_expired"
    assert not Attendance.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="attendance.").exists()


def test_replaying_a_code_changes_nothing(signup, shift, volunteer, t0):
    token = qr_token(shift=shift, direction="in", now=t0)
    first = scan(user=volunteer.user, token=token, now=t0)
    with pytest.raises(AttendanceConflict) as conflict:
        scan(user=volunteer.user, token=token, now=t0 + timedelta(seconds=20))
    assert conflict.value.code == "already_checked_in"
    again = Attendance.objects.get()
    assert again.checked_in_at == first.checked_in_at == t0
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


def test_a_code_for_another_shift_does_not_check_in_here(signup, shift, volunteer, t0, project):
    from gongyi.signups.tests.conftest import make_shift

    other = make_shift(project, start=shift.starts_at + timedelta(days=1))
    token = qr_token(shift=other, direction="in", now=t0)
    with pytest.raises(AttendanceRefused) as refused:
        scan(user=volunteer.user, token=token, now=t0)
    assert refused.value.code == "not_signed_up"
    assert not Attendance.objects.exists()


def test_window_ends_is_after_at_least_30_seconds(t0):
    for second in range(0, 60, 7):
        now = t0.replace(second=second)
        assert timedelta(seconds=30) < services.window_ends(now) - now <= timedelta(seconds=60)
