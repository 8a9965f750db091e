"""Start the platform under granian (WSGI, several workers) for HTTP benchmarks, then stop it."""

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(**extra) -> dict:
    """The environment a production process runs with: DEBUG off, the settings' connections."""
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 40,
        "GONGYI_PII_KEY": os.environ.get("GONGYI_PII_KEY", "bench-pii-key"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }


@contextlib.contextmanager
def granian(*, workers: int = 2, threads: int = 8, env: dict | None = None):
    """Yield the base URL of a running server; DEBUG off, as in production."""
    port = free_port()
    server_env = production_env(**(env or {}))
    command = [
        # The granian beside the interpreter that runs the bench: its environment's.
        str(pathlib.Path(sys.executable).with_name("granian")),
        "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads),
        "--log-level", "warning", "gongyi.wsgi:application",
    ]  # fmt: skip
    # DEBUG off serves hashed static names from the manifest: build it for this tree first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "bench-server.log", "ab")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{url}/healthz", timeout=2).read()
            return
        time.sleep(0.2)
    sys.exit(f"server at {url} did not start")
