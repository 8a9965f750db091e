"""Shared test set-up: fast hashing, in-memory SMS, and the people every test names."""

import pytest

from gongyi.testing import people  # noqa: F401  (fixtures)
from gongyi.testing.fonts import cjk_font  # noqa: F401  (fixture)
from gongyi.testing.people import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "gongyi.accounts.sms.MemorySender"
    # Tasks run at once in tests; test_tasks.py runs the real database worker.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # Page views are counted only where a test asks (gongyi/traffic): a buffer flush inside
    # another app's request would change its query counts.
    settings.TRAFFIC_RECORDING = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # A request through the test client leaves its language active in this thread (the
    # LocaleMiddleware activates, nothing deactivates): every test starts in the default.
    translation.deactivate()
