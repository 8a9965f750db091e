"""Demo projects: realistic titles, points and shifts across both cities, fast at 50,000.

Rows are bulk-created (the services check one row at a time); values follow the same rules:
numbers `P` + district + date + daily sequence, sanitised descriptions, jieba search tokens,
shifts inside the service period at Shanghai local times.

`Shift.taken` counts confirmed signups. With `fill_places=False` (the default) every shift
starts empty and `DemoProjects.wanted_taken` says how many confirmed signups each shift should
get (full, nearly full, some), for the signups demo to create; `fill_places=True` writes those
counts straight into `taken` (for benchmarks that need no signup rows).
"""

import datetime
import json
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from gongyi.core.clock import LOCAL_TZ
from gongyi.orgs.models import Organisation
from gongyi.projects import next_starts
from gongyi.projects.management.commands.load_categories import DATA_FILE
from gongyi.projects.models import Beneficiary, Category, Project, ServicePoint, Shift
from gongyi.projects.search import html_to_text, tokens_for_search
from gongyi.projects.services import load_taxonomy, number_prefix, sanitise_description

BATCH = 2000
CITY_CENTRES = {"31": (31.2304, 121.4737), "5101": (30.6586, 104.0647)}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高袁"
GIVEN = ["建国", "小明", "丽华", "志强", "秀英", "海燕", "俊杰", "晓东", "文静", "子涵"]

# title, summary, description, category, subcategory, beneficiaries, mode, point names
TEMPLATES = [
    ("长者数字生活智能手机培训", "手把手教社区老人用智能手机挂号、扫码、视频通话",
     "<p>每期两小时，志愿者一对一帮助<strong>老人</strong>学会常用手机应用。</p>",
     "science", "science_digital", ["elderly"], "onsite", ["社区活动室", "街道党群服务中心"]),
    ("社区垃圾分类宣传", "在小区投放点引导居民正确分类投放",
     "<p>早晚投放时段在垃圾箱房值守，宣传垃圾分类知识。</p>",
     "environment", "environment_waste", ["residents"], "onsite", ["小区垃圾箱房", "居委会门口"]),
    ("地铁站文明引导", "早晚高峰在地铁站引导乘客有序乘车",
     "<p>协助站务人员维持秩序，为乘客指路。</p>",
     "traffic", "traffic_metro", ["residents"], "onsite", ["地铁站站厅", "地铁站出入口"]),
    ("关爱独居老人上门探访", "定期上门陪伴独居老人，排查安全隐患",
     "<p>两人一组上门探访，陪老人聊天，检查燃气和用电安全。</p>",
     "special_groups", "special_groups_lonely_elderly", ["elderly"], "onsite", ["社区服务站"]),
    ("四点半课堂课业辅导", "放学后为双职工家庭孩子辅导作业",
     "<p>辅导小学生完成作业，开展阅读和手工活动。</p>",
     "education", "education_after_school", ["children"], "onsite", ["社区学堂", "街道文化中心"]),
    ("图书馆读者服务", "协助图书整理、借还引导和阅读推广活动",
     "<p>整理书架，引导读者使用自助借还设备。</p>",
     "culture", "culture_library", ["residents", "children"], "onsite", ["区图书馆", "图书分馆"]),
    ("医院门诊导医服务", "在门诊大厅为患者指路、协助自助挂号",
     "<p>帮助老年患者使用自助机，引导就诊流程。</p>",
     "health", "health_hospital", ["elderly", "residents"], "onsite", ["门诊大厅"]),
    ("公益法律咨询", "律师志愿者为居民免费解答法律问题",
     "<p>提供婚姻家庭、劳动争议、房屋租赁等法律咨询。</p>",
     "legal", "legal_advice", ["in_need", "migrant_workers"], "onsite", ["司法所", "法律服务点"]),
    ("河道巡护志愿行动", "沿河巡查，劝导不文明行为，清理漂浮垃圾",
     "<p>每周巡河一次，记录并上报河道问题。</p>",
     "environment", "environment_river", ["residents"], "onsite", ["河道起点", "滨河公园"]),
    ("反诈宣传进社区", "向居民讲解常见电信诈骗手法",
     "<p>在社区广场设摊宣传，帮助老人安装反诈应用。</p>",
     "public_safety", "public_safety_anti_fraud", ["elderly", "residents"], "onsite", ["社区广场"]),
    ("城市马拉松赛事服务", "赛道补给、检录引导和赛后服务",
     "<p>参加赛前培训，赛事当天按岗位服务。</p>",
     "sports", "sports_marathon", ["residents"], "onsite", ["起点区", "补给站", "终点区"]),
    ("博物馆志愿讲解", "为观众提供展厅讲解服务",
     "<p>经过培训考核后上岗，为观众讲解展品背后的故事。</p>",
     "culture", "culture_museum", ["residents", "youth"], "onsite", ["博物馆展厅"]),
    ("助残康复陪伴", "陪伴残障人士开展康复训练和社区活动",
     "<p>协助康复师开展训练，陪同参加文体活动。</p>",
     "special_groups", "special_groups_disabled", ["disabled"], "onsite", ["阳光之家"]),
    ("无偿献血服务引导", "在献血屋协助登记、引导和宣传",
     "<p>为献血者提供咨询和引导，宣传无偿献血知识。</p>",
     "health", "health_blood", ["residents"], "onsite", ["献血屋"]),
    ("线上课业辅导", "通过视频为乡村学生在线辅导功课",
     "<p>每周两次线上辅导，科目包括语文、数学和英语。</p>",
     "education", "education_rural", ["children", "youth"], "online", ["线上"]),
    ("消防安全宣传进楼宇", "入户宣传消防安全知识，排查楼道隐患",
     "<p>检查楼道堆物和消防通道，发放宣传资料。</p>",
     "fire", "fire_education", ["residents"], "onsite", ["居民楼"]),
    ("应急救护培训", "向居民普及心肺复苏和AED使用",
     "<p>由持证救护员授课，志愿者协助组织和演示。</p>",
     "health", "health_first_aid", ["residents"], "onsite", ["社区卫生服务中心"]),
    ("景区游客咨询服务", "在景区游客中心提供咨询和文明旅游引导",
     "<p>为游客指路、解答问题，劝导不文明行为。</p>",
     "tourism", "tourism_info", ["residents"], "onsite", ["游客中心"]),
    ("退役军人关爱行动", "走访慰问困难退役军人家庭",
     "<p>了解生活困难，协助对接帮扶资源。</p>",
     "special_groups", "special_groups_veterans", ["veterans"], "onsite", ["退役军人服务站"]),
    ("校园禁毒知识宣讲", "走进中小学开展禁毒宣传",
     "<p>通过展板、互动问答等形式普及禁毒知识。</p>",
     "anti_drug", "anti_drug_school", ["youth", "children"], "onsite", ["学校礼堂"]),
]  # fmt: skip
STREETS = ["人民路", "建设路", "中山路", "解放路", "和平路", "新华路"]
SHIFT_TIMES = [((9, 0), (12, 0)), ((14, 0), (17, 0)), ((7, 30), (9, 30)), ((18, 30), (20, 30))]


@dataclass
class DemoProjects:
    projects: list[Project]
    wanted_taken: dict[int, int] = field(default_factory=dict)  # shift id → confirmed signups


def _ensure_taxonomy() -> None:
    if not Category.objects.exists():
        load_taxonomy(json.loads(DATA_FILE.read_text(encoding="utf-8")))


class _Numbers:
    """Project numbers, unique against the ones already stored."""

    def __init__(self):
        self.taken = set(Project.objects.values_list("number", flat=True))
        self.next: dict[str, int] = {}

    def new(self, district_code: str, day: datetime.date) -> str:
        prefix = number_prefix(district_code, day)
        sequence = self.next.get(prefix, 1)
        while f"{prefix}{sequence:04d}" in self.taken:
            sequence += 1
        self.next[prefix] = sequence + 1
        number = f"{prefix}{sequence:04d}"
        self.taken.add(number)
        return number


def _status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.90:
        return Project.Status.PUBLISHED
    if roll < 0.95:
        return Project.Status.DRAFT
    return Project.Status.CLOSED if roll < 0.98 else Project.Status.CANCELLED


def _centre(org: Organisation) -> tuple[float, float]:
    city = org.district.city
    return CITY_CENTRES.get(city.code if city else "", CITY_CENTRES["31"])


def build_demo_projects(
    *,
    rng: random.Random,
    orgs: list[Organisation],
    today: datetime.date,
    count: int = 300,
    fill_places: bool = False,
) -> DemoProjects:
    """`count` projects of the verified `orgs`, with points and shifts around `today`."""
    _ensure_taxonomy()
    orgs = [org for org in orgs if org.status == Organisation.Status.VERIFIED]
    if not orgs or count <= 0:
        return DemoProjects(projects=[])
    categories = {c.code: c for c in Category.objects.all()}
    groups = {b.code: b for b in Beneficiary.objects.all()}
    numbers = _Numbers()
    texts: dict[int, tuple[str, str]] = {}  # template index → (description, search tokens)
    projects, plans = [], []
    for n in range(count):
        t = rng.randrange(len(TEMPLATES))
        title, summary, description, cat, sub, beneficiaries, mode, point_names = TEMPLATES[t]
        if t not in texts:
            clean = sanitise_description(description)
            texts[t] = (clean, tokens_for_search(title, summary, html_to_text(clean)))
        org = orgs[n % len(orgs)] if n < len(orgs) else rng.choice(orgs)
        created = today - datetime.timedelta(days=rng.randint(0, 120))
        opens = datetime.datetime.combine(created, datetime.time(9), tzinfo=LOCAL_TZ)
        service_start = created + datetime.timedelta(days=rng.randint(0, 10))
        status = _status(rng)
        projects.append(
            Project(
                number=numbers.new(org.district.code, created),
                organisation=org,
                title=title,
                summary=summary,
                description=texts[t][0],
                search_tokens=texts[t][1],
                category=categories[cat],
                subcategory=categories.get(sub),
                district=org.district,
                mode=mode,
                recruit_start=opens,
                recruit_end=opens + datetime.timedelta(days=rng.randint(20, 150)),
                service_start=service_start,
                service_end=service_start + datetime.timedelta(days=rng.randint(30, 180)),
                min_age=rng.choice([None, 14, 16, 18]),
                max_age=rng.choice([None, 65, 70]),
                real_name_only=True,
                skills=rng.sample(
                    ["教学", "摄影", "急救", "外语翻译", "计算机", "手语"], rng.randint(0, 2)
                ),
                review_required=rng.random() < 0.15,
                allocation="lottery" if rng.random() < 0.03 else "first_come",
                cancel_hours_before=rng.choice([2, 12, 24, 48]),
                contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                contact_phone=f"139{rng.randint(0, 99_999_999):08d}",
                status=status,
                published_at=opens if status != Project.Status.DRAFT else None,
                cancelled_at=opens + datetime.timedelta(days=3) if status == "cancelled" else None,
            )
        )
        plans.append((beneficiaries, point_names, _centre(org)))
    with transaction.atomic():
        Project.objects.bulk_create(projects, batch_size=BATCH)
        _add_beneficiaries(projects, plans, groups)
        points = _add_points(rng, projects, plans)
        wanted = _add_shifts(rng, projects, points, fill_places=fill_places)
    return DemoProjects(projects=projects, wanted_taken=wanted)


def _add_beneficiaries(projects, plans, groups) -> None:
    through = Project.beneficiaries.through
    rows = [
        through(project_id=project.pk, beneficiary_id=groups[code].pk)
        for project, (codes, _names, _centre) in zip(projects, plans, strict=True)
        for code in codes
        if code in groups
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)


def _add_points(rng, projects, plans) -> dict[int, list[ServicePoint]]:
    points: dict[int, list[ServicePoint]] = {}
    rows = []
    for project, (_codes, names, (lat, lng)) in zip(projects, plans, strict=True):
        # A few projects run at many places (like the thousands of 长者数字生活 points).
        many = 40 if rng.random() < 0.01 else 1
        for i in range(len(names) * many):
            online = project.mode == Project.Mode.ONLINE
            point = ServicePoint(
                project=project,
                name=f"{project.district.name}{names[i % len(names)]}"
                + (f"{i + 1}号" if many > 1 else ""),
                address=f"{project.district.name}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
                latitude=None if online else round(lat + rng.uniform(-0.15, 0.15), 6),
                longitude=None if online else round(lng + rng.uniform(-0.15, 0.15), 6),
            )
            rows.append(point)
            points.setdefault(id(project), []).append(point)
    ServicePoint.objects.bulk_create(rows, batch_size=BATCH)
    return points


def _add_shifts(rng, projects, points, *, fill_places: bool) -> dict[int, int]:
    rows, wanted = [], []
    now = timezone.now()
    for project in projects:
        days = (project.service_end - project.service_start).days
        for _ in range(rng.randint(2, 6)):
            day = project.service_start + datetime.timedelta(days=rng.randint(0, days))
            (h1, m1), (h2, m2) = rng.choice(SHIFT_TIMES)
            starts = datetime.datetime.combine(day, datetime.time(h1, m1), tzinfo=LOCAL_TZ)
            ends = datetime.datetime.combine(day, datetime.time(h2, m2), tzinfo=LOCAL_TZ)
            capacity = None if rng.random() < 0.2 else rng.choice([5, 10, 20, 30, 50])
            taken = _planned_taken(rng, capacity, past=ends < now)
            shift = Shift(
                project=project,
                point=rng.choice(points[id(project)]),
                starts_at=starts,
                ends_at=ends,
                capacity=capacity,
                taken=taken if fill_places else 0,
            )
            rows.append(shift)
            wanted.append(taken)
    Shift.objects.bulk_create(rows, batch_size=BATCH)
    next_starts.refresh([project.pk for project in projects])
    return {shift.pk: taken for shift, taken in zip(rows, wanted, strict=True) if taken}


def _planned_taken(rng, capacity: int | None, *, past: bool) -> int:
    """Full, nearly full, some or none (past shifts mostly filled)."""
    if capacity is None:
        return rng.randint(0, 15)
    roll = rng.random()
    if roll < 0.15 or (past and roll < 0.6):
        return capacity
    if roll < 0.35:
        return max(0, capacity - rng.randint(1, 2))
    return rng.randint(0, capacity // 2)
