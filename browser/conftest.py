"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Chromium comes from Debian's packages (Playwright's own browser download cannot work here);
where it is missing the session installs it, or skips the browser tests saying why.
Screenshots go to test-artifacts/browser/.
"""

import functools
import os
import shutil
import subprocess

import pytest

from browser.journeys import snap
from gongyi.accounts import sms

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def install_chromium() -> str | None:
    """Install Debian's Chromium and a CJK font if missing; the reason it failed, or None."""
    if os.path.exists(CHROMIUM):
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "Chromium is missing and this user cannot install it (apt-get as root)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk"], env=env, check=False
    )
    return None if os.path.exists(CHROMIUM) else "installing Debian's chromium failed"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    reason = install_chromium()
    if reason:
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone: the pages are made for one; Chinese, as most of the city reads them.
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def shoot(page):
    """shoot("name") saves a full-page screenshot of `page` under test-artifacts/browser/."""
    return functools.partial(snap, page)


@pytest.fixture(autouse=True)
def memory_sms(settings):
    """Verification codes land in `sms.outbox` (journeys.sign_up reads them there)."""
    settings.SMS_BACKEND = "gongyi.accounts.sms.MemorySender"
    sms.outbox.clear()


@pytest.fixture
def regions_loaded(transactional_db):
    from django.core.management import call_command

    call_command("load_regions", verbosity=0)
