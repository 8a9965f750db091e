"""Django admin for regions: Chinese labels for staff, closed to everybody else."""

import pytest
from django.urls import reverse

from gongyi.testing.people import make_user


def test_superuser_sees_regions_in_chinese(client, community):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:regions_region_changelist")).content.decode()
    assert "行政区划" in page and "贵州路居委会" in page and "功能区" in page
    change = client.get(reverse("admin:regions_region_change", args=[community.pk]))
    assert "上海市黄浦区南京东路街道贵州路居委会" in change.content.decode()


@pytest.mark.parametrize("person", ["outsider", "district_admin"])
def test_others_are_refused(client, request, person, city):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("admin:regions_region_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]
