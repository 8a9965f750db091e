"""Public pages: the region tree and the `<option>` partial. Read-only for everybody."""

import pytest
from django.urls import reverse

from gongyi.regions.models import Region

PEOPLE = ["anonymous", "outsider", "other_district_admin", "district_admin"]


@pytest.fixture
def as_person(client, request):
    def login(name):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return login


@pytest.mark.parametrize("person", PEOPLE)
def test_pages_are_public_and_read_only_for_everybody(as_person, person, community):
    client = as_person(person)
    district = community.parent.parent
    for url in [
        reverse("regions:index"),
        reverse("regions:detail", args=[district.code]),
        reverse("regions:options") + "?parent=" + district.code,
    ]:
        assert client.get(url).status_code == 200
        # Nobody, whatever their role, changes regions through these pages.
        assert client.post(url).status_code == 405


def test_detail_shows_children_with_counts_in_chinese(client, district, street, community):
    Region.objects.create(
        code="310101003", name="豫园街道", level=3, parent=district, city=district.city
    )
    page = client.get(reverse("regions:detail", args=[district.code])).content.decode()
    assert "南京东路街道" in page and "豫园街道" in page
    assert "下级区划" in page and "上海市" in page
    assert 'class="table-wrap"' in page


def test_detail_in_english(client, district, street):
    page = client.get(
        reverse("regions:detail", args=[district.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Subdivisions (Street)" in page


def test_functional_zone_and_empty_region(client, city, community):
    zone = Region.objects.create(
        code="31A1", name="示范区", level=2, parent=city, city=city, is_functional_zone=True
    )
    page = client.get(reverse("regions:detail", args=[zone.code])).content.decode()
    assert "功能区" in page and "暂无" in page
    assert client.get(reverse("regions:detail", args=[community.code])).status_code == 200


@pytest.mark.parametrize("code", ["nope", "9" * 300, "310101%00", "3101%E2%91%A0", "%F0%9F%98%80"])
def test_unknown_region_is_404(client, code, district):
    assert client.get(f"/regions/{code}/").status_code == 404


def options(client, **params):
    response = client.get(reverse("regions:options"), params)
    assert response.status_code == 200
    return response.content.decode().strip()


def test_options_by_code_and_by_pk(client, district, street, community):
    assert options(client, parent=district.code) == (
        '<option value="">—</option><option value="310101002">南京东路街道</option>'
    )
    html = options(client, district=district.pk, key="pk", **{"from": "district"})
    assert f'<option value="{street.pk}">南京东路街道</option>' in html
    assert "贵州路居委会" in options(client, parent=district.code, level=4)


def test_options_clears_lower_selects_out_of_band(client, district, street):
    html = options(client, parent=district.code, clear="id_community,bad<id>,id_x-y")
    assert '<select id="id_community" hx-swap-oob="innerHTML">' in html
    assert '<select id="id_x-y"' in html
    assert "bad" not in html


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"parent": ""},
        {"parent": "nope"},
        {"parent": "x" * 500},
        {"parent": "310101", "level": "x"},
        {"parent": "310101", "level": "9"},
        {"parent": "abc", "key": "pk"},
        {"parent": "310101\x00"},
        {"parent": "\x00", "key": "pk"},
        {"parent": "²", "key": "pk"},
        {"from": "nothing"},
    ],
)
def test_bad_options_requests_give_an_empty_list(client, district, street, params):
    assert options(client, **params) == '<option value="">—</option>'
