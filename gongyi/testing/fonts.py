"""The Chinese font for PDF and image tests: installed from Debian's packages when missing."""

import os
import shutil
import subprocess

import pytest

from gongyi.core.fonts import find_font


def install_font() -> str | None:
    """Install fonts-wqy-zenhei if missing; the reason it failed, or None."""
    if find_font():
        return None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return "the font fonts-wqy-zenhei is missing and this user cannot install it"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "fonts-wqy-zenhei"], env=env, check=False)
    return None if find_font() else "installing fonts-wqy-zenhei failed"


@pytest.fixture(scope="session")
def cjk_font() -> str:
    """The path of the Chinese font (for PDFs and share images); skips when it cannot be had."""
    reason = install_font()
    if reason:
        pytest.skip(reason)
    return find_font()
