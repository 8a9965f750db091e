"""A visitor becomes a registered volunteer in a real browser, on a phone-sized screen."""

import datetime

import pytest

from browser.journeys import register_volunteer, sign_up
from gongyi.accounts.models import Volunteer
from gongyi.accounts.tests.helpers import resident_id

pytestmark = pytest.mark.browser


def test_visitor_signs_up_and_registers_as_a_volunteer(page, live_server, regions_loaded, shoot):
    page.goto(live_server.url)
    shoot("01-home")
    sign_up(page, live_server.url, "13612345678")
    assert page.get_by_role("button", name="退出登录").is_visible()

    id_number = resident_id(datetime.date(1995, 5, 20), order=123)
    register_volunteer(page, live_server.url, name="王小红", id_number=id_number)
    shoot("02-registered-profile")
    page.goto(f"{live_server.url}/accounts/me/")
    shoot("03-my-account")

    volunteer = Volunteer.objects.get(user__phone="13612345678")
    assert volunteer.real_name == "王小红"
    assert volunteer.home_region.level == 4  # the community picked through the cascade
    assert id_number not in page.content()
    assert volunteer.id_number_masked in page.content()
