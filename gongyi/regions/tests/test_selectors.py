"""The tree reads and the region check other apps' forms use."""

import pytest

from gongyi.core.errors import ServiceError
from gongyi.regions import selectors
from gongyi.regions.models import Region

L = Region.Level


def test_tree_reads(city, district, other_district, street, community):
    assert list(selectors.cities()) == [city]
    assert list(selectors.districts_of(city)) == [district, other_district]
    children = list(selectors.children_of(district))
    assert children == [street] and children[0].child_count == 1
    assert selectors.region_by_code(" 310101002 ") == street
    assert selectors.region_by_code("x" * 500) is None
    assert selectors.region_by_code(None) is None
    assert selectors.region_by_key(str(street.pk), by="pk") == street
    assert selectors.region_by_key("abc", by="pk") is None
    assert selectors.ancestors(community) == [city, district, street]
    assert selectors.city_of(community) == city and selectors.city_of(city) == city
    assert selectors.descendant_counts(city) == {L.DISTRICT: 2, L.STREET: 1, L.COMMUNITY: 1}
    assert selectors.descendant_counts(community) == {}


def test_regions_below(city, district, street, community):
    assert list(selectors.regions_below(district)) == [street]
    assert list(selectors.regions_below(city, level=4)) == [community]
    assert list(selectors.regions_below(street, level="2")) == []
    assert list(selectors.regions_below(street, level="nope")) == []


def test_check_region(district, other_district, street, community):
    assert selectors.check_region(community, level=L.COMMUNITY, within=district) == community
    assert selectors.is_within(community, district.city)
    with pytest.raises(ServiceError) as error:
        selectors.check_region(community, level=L.COMMUNITY, within=other_district)
    assert error.value.code == "region_invalid"
    assert str(error.value.message) == "贵州路居委会 不在徐汇区范围内。"
    with pytest.raises(ServiceError):
        selectors.check_region(street, level=L.COMMUNITY)
    with pytest.raises(ServiceError):
        selectors.check_region(None, level=L.DISTRICT)


def test_check_region_chain(district, other_district, street, community):
    def chain(d, s=None, c=None):
        return selectors.check_region_chain(
            ("district", d, L.DISTRICT), ("street", s, L.STREET), ("community", c, L.COMMUNITY)
        )

    assert chain(district, street, community) == community
    assert chain(district, None, community) == community  # the district bounds it
    assert chain(district, street) == street
    assert chain(None) is None
    with pytest.raises(ServiceError) as error:
        chain(other_district, street)
    assert error.value.field == "street" and error.value.code == "region_invalid"
    with pytest.raises(ServiceError) as error:
        chain(other_district, None, community)
    assert error.value.field == "community"
    with pytest.raises(ServiceError) as error:
        chain(street)
    assert error.value.field == "district"
