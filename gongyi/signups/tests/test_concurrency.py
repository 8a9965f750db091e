"""Invariants 1–3 under real concurrency: threads with their own connections, and two servers.

The big runs need PostgreSQL (row locks, many connections). A smaller real-thread run works
on SQLite too, where IMMEDIATE transactions serialise writers. A control shows the race is
real: a naive check-then-insert oversells under the same load.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from gongyi.accounts.services import create_api_token
from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_volunteer
from gongyi.testing.threads import run_at_once

S = Signup.Status
on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL: row locks and many concurrent connections "
    "(run with DATABASE_URL=postgresql://…)",
)


def volunteers(n: int) -> list:
    return [make_volunteer(real_name=f"并发{i}") for i in range(n)]


def naive_signup(volunteer, shift) -> Signup:
    """NEVER do this: count, then insert, without a lock (the control)."""
    confirmed = Signup.objects.filter(shift=shift, status=S.CONFIRMED).count()
    time.sleep(0.02)  # the gap any real request has between its read and its write
    status = S.CONFIRMED if confirmed < shift.capacity else S.WAITLISTED
    return Signup.objects.create(volunteer=volunteer, shift=shift, status=status)


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_200_concurrent_signups_for_10_places(org):
    shift = make_shift(make_project(org), capacity=10)
    people = volunteers(200)
    results = run_at_once([lambda v=v: signup_create(volunteer=v, shift=shift) for v in people])
    assert sum(r.status == S.CONFIRMED for r in results) == 10
    assert sum(r.status == S.WAITLISTED for r in results) == 190
    shift.refresh_from_db()
    assert shift.taken == 10
    assert Signup.objects.filter(shift=shift).count() == 200
    assert Signup.objects.filter(shift=shift, status=S.CONFIRMED).count() == 10


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_control_naive_check_then_insert_oversells(org):
    shift = make_shift(make_project(org), capacity=10)
    people = volunteers(200)
    run_at_once([lambda v=v: naive_signup(v, shift) for v in people])
    confirmed = Signup.objects.filter(shift=shift, status=S.CONFIRMED).count()
    assert confirmed > 10, "the control should oversell; if not, the race test proves nothing"


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_same_volunteer_20_concurrent_requests_give_one_signup(org):
    shift = make_shift(make_project(org), capacity=10)
    (volunteer,) = volunteers(1)
    results = run_at_once([lambda: signup_create(volunteer=volunteer, shift=shift)] * 20, 20)
    assert len({r.pk for r in results}) == 1
    assert Signup.objects.filter(shift=shift).count() == 1
    shift.refresh_from_db()
    assert shift.taken == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_same_idempotency_key_20_concurrent_requests_give_one_signup(org):
    shift = make_shift(make_project(org), capacity=10)
    (volunteer,) = volunteers(1)
    call = lambda: signup_create(volunteer=volunteer, shift=shift, idempotency_key="k")  # noqa: E731
    results = run_at_once([call] * 20, 20)
    assert len({r.pk for r in results}) == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_shifts_hit_at_once_confirm_at_most_one(org):
    project = make_project(org)
    people = volunteers(20)
    first = make_shift(project, capacity=None)
    second = make_shift(project, capacity=None, start=first.starts_at + timedelta(hours=1))
    calls = []
    for v in people:
        calls += [lambda v=v: _try(v, first), lambda v=v: _try(v, second)]
    run_at_once(calls, 40)
    for v in people:
        assert Signup.objects.filter(volunteer=v, status=S.CONFIRMED).count() == 1


def _try(volunteer, shift):
    from gongyi.signups.services import SignupRefused

    try:
        return signup_create(volunteer=volunteer, shift=shift)
    except SignupRefused as refusal:
        assert refusal.code == "overlap"
        return None


@pytest.mark.django_db(transaction=True)
def test_real_threads_never_oversell_on_any_database(org):
    """Smaller, so it runs on SQLite as well (its writers queue on IMMEDIATE transactions)."""
    shift = make_shift(make_project(org), capacity=5)
    people = volunteers(24)
    calls = [
        lambda v=v: _retry_when_locked(lambda: signup_create(volunteer=v, shift=shift))
        for v in people
    ]
    results = run_at_once(calls, 8)
    assert sum(r.status == S.CONFIRMED for r in results) == 5
    shift.refresh_from_db()
    assert shift.taken == 5
    assert Signup.objects.filter(shift=shift).count() == 24


def _retry_when_locked(call):
    """SQLite's shared in-memory TEST database answers "table is locked" at once instead of
    waiting (its busy timeout does not apply to shared-cache locks; the WAL file database of
    a real deployment waits). The failed attempt rolled back whole, so the caller retries."""
    from django.db import OperationalError

    for _attempt in range(500):
        try:
            return call()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.005)
    raise AssertionError("the database stayed locked")


# --- two server processes -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int, database_url: str) -> subprocess.Popen:
    granian = Path(sys.executable).with_name("granian")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        # The pool here, persistent connections everywhere else: the invariant holds under both.
        "DATABASE_POOL": "1",
        "DB_POOL": "4",
        "LOG_LEVEL": "ERROR",
    }
    return subprocess.Popen(
        [
            *(str(granian), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", "1", "--blocking-threads", "4", "gongyi.wsgi:application"),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_ready(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    # Generous: on a loaded 2-core machine the first answer (the schema is built on the first
    # request) has taken over 20 s, and a shorter wait failed the run though nothing was wrong.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server process exited at start")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=15)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _post(url: str, key: str) -> dict:
    request = urllib.request.Request(
        url, method="POST", data=b"", headers={"Authorization": f"Bearer {key}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_200_signups_through_two_server_processes(org):
    shift = make_shift(make_project(org), capacity=10)
    keys = [create_api_token(user=v.user, name="burst")[1] for v in volunteers(200)]
    db = connection.settings_dict
    database_url = (
        f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    ports = [_free_port(), _free_port()]
    servers = [_start_server(port, database_url) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_ready(port, server)
        path = f"/api/v1/signups/shifts/{shift.pk}"
        calls = [
            lambda key=key, port=ports[i % 2]: _post(f"http://127.0.0.1:{port}{path}", key)
            for i, key in enumerate(keys)
        ]
        answers = run_at_once(calls, 40)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    assert sum(a["status"] == "confirmed" for a in answers) == 10
    assert sum(a["status"] == "waitlisted" for a in answers) == 190
    shift.refresh_from_db()
    assert shift.taken == 10
    assert Signup.objects.filter(shift=shift, status=S.CONFIRMED).count() == 10


@pytest.mark.django_db
def test_a_signup_that_read_the_project_before_its_cancel_is_refused(org, org_admin):
    """The race of issue 3, step by step: the request loaded the shift (project published),
    the project was cancelled and committed, then the request writes. Without the fresh,
    locked read of the project's status it would stay live on a cancelled project."""
    from gongyi.signups.services import SignupRefused, project_cancel

    shift = make_shift(make_project(org), capacity=5)
    stale = type(shift).objects.select_related("project").get(pk=shift.pk)
    project_cancel(actor=org_admin, project=shift.project, reason="停办")
    with pytest.raises(SignupRefused) as refused:
        signup_create(volunteer=make_volunteer(real_name="迟到"), shift=stale)
    assert refused.value.code == "not_open"
    assert not Signup.objects.filter(shift=shift).exists()
    stale.refresh_from_db()
    assert stale.taken == 0


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_cancel_in_the_middle_of_a_signup_burst_leaves_no_live_signup(org, org_admin):
    """Signups in flight when the cancel comes are closed by it; later ones are refused."""
    from gongyi.signups.services import SignupRefused, project_cancel

    shift = make_shift(make_project(org), capacity=20)
    people = volunteers(60)

    def sign_up(volunteer):
        try:
            return signup_create(volunteer=volunteer, shift=shift)
        except SignupRefused:
            return None

    def cancel():
        time.sleep(0.01)
        return project_cancel(actor=org_admin, project=shift.project, reason="暴雨")

    run_at_once([cancel] + [lambda v=v: sign_up(v) for v in people], 30)
    assert not Signup.objects.filter(shift=shift, status__in=Signup.LIVE).exists()
    shift.refresh_from_db()
    assert shift.taken == 0
