"""Requests through the WSGI handler with valgrind's counting on only around them.

Run by bench_signup_instructions under `valgrind --tool=callgrind --instr-atstart=no`:
`python -m bench.counted_requests signup|healthz N`. Start-up and a warm-up run uncounted;
`callgrind_control` turns counting on for the N requests and off after them.
"""

import io
import os
import subprocess
import sys

WARM_UP = 20
PROJECT = "计数：报名请求"


def main(what: str, requests: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
    from gongyi.wsgi import application

    calls = list(_calls(what, requests + WARM_UP))
    try:
        for environ in calls[:WARM_UP]:
            _answer(application, environ)
        _counting("on")
        for environ in calls[WARM_UP:]:
            _answer(application, environ)
        _counting("off")
    finally:
        _undo(what)  # a failed run too: its signups would overlap the next run's shifts


def _calls(what: str, count: int):
    if what == "healthz":
        yield from (_environ("GET", "/healthz") for _ in range(count))
        return
    from bench.bench_signup_burst import make_project, make_tokens
    from gongyi.accounts.models import Volunteer

    volunteers = Volunteer.objects.order_by("pk").values_list("pk", "user_id")[:count]
    shifts = make_project(PROJECT, shifts=100, capacity=10, day_offset=11)
    for i, token in enumerate(make_tokens(list(volunteers))):
        path = f"/api/v1/signups/shifts/{shifts[i % len(shifts)]}"
        yield _environ("POST", path, HTTP_AUTHORIZATION=f"Bearer {token}")


def _environ(method: str, path: str, **headers) -> dict:
    return {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": "0", **headers,
    }  # fmt: skip


def _answer(application, environ: dict) -> None:
    status = []
    response = application(environ, lambda s, headers, exc_info=None: status.append(s))
    b"".join(response)
    response.close()  # as a server does: ends the request, gives the connection back
    if not status[0].startswith("200"):
        sys.exit(f"{environ['PATH_INFO']} answered {status[0]}")


def _counting(state: str) -> None:
    subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], capture_output=True)


def _undo(what: str) -> None:
    """Take the counted signups back, as the burst's reset() does (the project stays)."""
    if what == "signup":
        from gongyi.signups.models import Signup

        Signup.objects.filter(shift__project__title=PROJECT).delete()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
