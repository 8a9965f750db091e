"""Settings come from the environment and fail loudly when production keys are missing."""

import os
import subprocess
import sys

from django.conf import settings


def start_django(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "GONGYI_PII_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "gongyi.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_debug_off_requires_secret_key():
    result = start_django(DEBUG="0", GONGYI_PII_KEY="k")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_requires_personal_data_key():
    result = start_django(DEBUG="0", SECRET_KEY="s" * 50)
    assert result.returncode != 0
    assert "GONGYI_PII_KEY" in result.stderr


def test_debug_off_starts_with_both_keys():
    assert start_django(DEBUG="0", SECRET_KEY="s" * 50, GONGYI_PII_KEY="k").returncode == 0


def test_bad_boolean_fails_loudly():
    result = start_django(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_sqlite_file_database_runs_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip() == "wal", result.stderr
