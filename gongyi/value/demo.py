"""Demo wage tables: Shanghai (31) and Chengdu (5101), 2024–2026, one rate per main category
whose work has a clear occupation (the others fall back to the default, community workers).

The wages are plausible, not official: hourly figures in the range of the two cities'
published wage surveys (人力资源市场工资价位), Shanghai above Chengdu, rising a little each
year. Safe to run twice (tables and rates are updated in place).
"""

from decimal import ROUND_HALF_UP, Decimal

from gongyi.projects.models import Category
from gongyi.regions.models import Region
from gongyi.value.models import WageRate, WageTable

YEARS = (2024, 2025, 2026)
YEAR_FACTOR = {2024: Decimal("0.96"), 2025: Decimal("1.00"), 2026: Decimal("1.03")}
CITIES = {
    # code: (name in the source text, wage factor against Chengdu)
    "31": ("上海市人力资源和社会保障局", Decimal("1.45")),
    "5101": ("成都市人力资源和社会保障局", Decimal("1.00")),
}
DEFAULT = ("社区工作者", Decimal("29.00"))
# Main category code -> (occupation, Chengdu hourly wage of 2025 in yuan).
RATES = {
    "poverty": ("社会工作者", Decimal("31.00")),
    "education": ("中小学教师", Decimal("52.00")),
    "health": ("护士", Decimal("45.00")),
    "legal": ("律师助理", Decimal("40.00")),
    "environment": ("环卫工人", Decimal("22.00")),
    "science": ("科普讲解员", Decimal("33.00")),
    "culture": ("群众文化指导员", Decimal("34.00")),
    "public_safety": ("保安员", Decimal("23.00")),
    "traffic": ("交通协管员", Decimal("24.00")),
    "fire": ("消防员", Decimal("38.00")),
    "emergency": ("应急救援员", Decimal("40.00")),
    "anti_drug": ("禁毒社会工作者", Decimal("32.00")),
    "sports": ("社会体育指导员", Decimal("30.00")),
    "tourism": ("导游", Decimal("28.00")),
    "special_groups": ("养老护理员", Decimal("27.00")),
    "major_events": ("会展服务人员", Decimal("26.00")),
    "epidemic": ("卫生防疫人员", Decimal("42.00")),
}


def _wage(base: Decimal, city_factor: Decimal, year: int) -> Decimal:
    wage = base * city_factor * YEAR_FACTOR[year]
    # To the half yuan, as wage surveys print them.
    return ((wage * 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 2).quantize(Decimal("0.01"))


def build_demo_wages(stdout=None) -> int:
    """Create or update the demo tables; returns how many tables there are now."""
    categories = {
        c.code: c for c in Category.objects.filter(parent__isnull=True, code__in=list(RATES))
    }
    count = 0
    for code, (bureau, factor) in CITIES.items():
        city = Region.objects.filter(code=code, level=Region.Level.CITY).first()
        if city is None:
            continue
        for year in YEARS:
            table, _created = WageTable.objects.update_or_create(
                city=city,
                year=year,
                defaults={
                    "source": f"{bureau} {year}年人力资源市场工资价位（演示数据）",
                    "default_occupation": DEFAULT[0],
                    "default_wage": _wage(DEFAULT[1], factor, year),
                },
            )
            for category_code, (occupation, base) in RATES.items():
                category = categories.get(category_code)
                if category is None:
                    continue
                WageRate.objects.update_or_create(
                    table=table,
                    category=category,
                    defaults={"occupation": occupation, "hourly_wage": _wage(base, factor, year)},
                )
            count += 1
    if stdout is not None:
        stdout.write(f"{count} wage tables (economic value).\n")
    return count
