"""The menu (templates/base.html) links each role to the hours pages it may open, and no
one to a page that would refuse them: the links follow permissions.handles_any_hours."""

import pytest
from django.urls import reverse

from gongyi import permissions
from gongyi.orgs.models import Membership
from gongyi.testing.people import make_user

HOURS_LINKS = ("service:awaiting", "service:disputes")


@pytest.fixture
def leader(org):
    """A project leader of `org`: confirms its hours and answers its disputes."""
    user = make_user(display_name="李领队")
    Membership.objects.create(
        organisation=org, user=user, role=Membership.Role.LEADER, status="active"
    )
    return user


def menu(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("orgs:mine")).content.decode()


@pytest.mark.parametrize("who", ["leader", "org_admin", "district_admin", "city_admin"])
def test_those_who_handle_hours_see_the_hours_links(client, request, org, who):
    user = request.getfixturevalue(who)
    assert permissions.handles_any_hours(user)
    page = menu(client, user)
    for name in HOURS_LINKS:
        assert f'href="{reverse(name)}"' in page, (who, name)
        assert client.get(reverse(name)).status_code == 200, (who, name)


def test_a_volunteer_sees_no_hours_links(client, volunteer):
    page = menu(client, volunteer.user)
    for name in HOURS_LINKS:
        assert f'href="{reverse(name)}"' not in page


@pytest.mark.parametrize("who", ["district_admin", "city_admin", "org_admin"])
def test_only_district_admins_see_the_passport_queue(client, request, org, who):
    page = menu(client, request.getfixturevalue(who))
    link = f'href="{reverse("passport:queue")}"' in page
    assert link == (who == "district_admin")
    assert (client.get(reverse("passport:queue")).status_code == 200) == link
