"""Steps a person takes, shared by the browser tests."""

import pathlib
import re

from gongyi.accounts import sms

PASSWORD = "Gongyi-browser-2026"
SHOTS = pathlib.Path(__file__).resolve().parent.parent / "test-artifacts" / "browser"


def snap(page, name: str) -> pathlib.Path:
    """A full-page screenshot of any context's page under test-artifacts/browser/, once the
    page is quiet (htmx swaps and the QR code's script done)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("networkidle")
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_up(page, base_url: str, phone: str) -> None:
    """Create an account with the SMS code the (in-memory) sender received."""
    page.goto(f"{base_url}/accounts/signup/")
    page.get_by_label("手机号").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    code = re.search(r"\d{6}", [text for to, text in sms.outbox if to == phone][-1])[0]
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("验证码").fill(code)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="创建账号").click()
    page.wait_for_load_state()


def register_volunteer(page, base_url: str, *, name: str, id_number: str) -> None:
    """Fill the real-name registration, picking district → street → community (htmx)."""
    page.goto(f"{base_url}/accounts/me/volunteer/")
    page.get_by_label("真实姓名").fill(name)
    page.get_by_label("证件号码").fill(id_number)
    page.locator("select[name=home_district]").select_option(label="黄浦区")
    street = page.locator("select[name=home_street]")
    street.locator("option", has_text="南京东路街道").wait_for(state="attached")
    street.select_option(label="南京东路街道")
    community = page.locator("select[name=home_community]")
    community.locator("option").nth(1).wait_for(state="attached")
    community.select_option(index=1)
    page.locator("input[name=privacy_consent]").check()
    page.get_by_role("button", name="注册", exact=True).click()
    page.wait_for_load_state()


def log_in(page, base_url: str, phone: str, password: str) -> None:
    """Log in through the login page with a phone number and password."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(phone)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
