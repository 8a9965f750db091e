"""Builds the demo city: named logins per role, organisations of every kind, ~2,000 volunteers.

Rows are bulk-created straight into the models (the services' one-row-at-a-time checks and
password hashing would make 2,000 volunteers take minutes); the values follow the same rules
the services enforce: valid ID and credit codes, hashed and encrypted identities, masks.
"""

import contextlib
import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from stdnum.cn import ric, uscc
from tqdm import tqdm

from gongyi.accounts.identity import RESIDENT_ID, check_id_number
from gongyi.accounts.models import StaffRole, User, Volunteer
from gongyi.attendance.demo import build_demo_attendance
from gongyi.calendars.demo import build_demo_calendars
from gongyi.core.crypto import encrypt
from gongyi.core.errors import ServiceError
from gongyi.dashboard.services import refresh_all as refresh_dashboards
from gongyi.demo.people import birth_date, chinese_name, resident_id
from gongyi.growth.demo import build_demo_growth
from gongyi.orgs.models import Membership, Organisation
from gongyi.projects.demo import build_demo_projects
from gongyi.projects.models import Shift
from gongyi.rankings.demo import build_demo_rankings
from gongyi.regions.models import Region
from gongyi.service.demo import build_demo_records
from gongyi.sharing.demo import build_demo_shares
from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.sites.demo import build_demo_sites
from gongyi.snapshots.demo import build_demo_snapshots
from gongyi.value.demo import build_demo_wages

DEMO_PASSWORD = "Gongyi@2026"
SKILLS = [
    "急救",
    "外语翻译",
    "摄影",
    "心理辅导",
    "法律咨询",
    "教学",
    "驾驶",
    "手语",
    "计算机",
    "文艺表演",
]
LANGUAGES = ["普通话", "英语", "上海话", "四川话", "日语", "手语"]
INTERESTS = [
    "community",
    "education",
    "health",
    "environment",
    "special_groups",
    "culture",
    "traffic",
]


@dataclass(frozen=True)
class Login:
    phone: str
    name: str
    role: str


LOGINS = [
    Login("13900000000", "平台超级管理员", "superuser (Django admin)"),
    Login("13900000001", "上海市管理员", "city admin, Shanghai"),
    Login("13900000002", "成都市管理员", "city admin, Chengdu"),
    Login("13900000003", "黄浦区管理员", "district admin, 黄浦区"),
    Login("13900000004", "锦江区管理员", "district admin, 锦江区"),
    Login("13900000005", "陈组织", "organisation admin, 黄浦区志愿者协会"),
    Login("13900000006", "李领队", "project leader, 黄浦区志愿者协会"),
    Login("13900000007", "袁志愿", "volunteer (registered, member of 黄浦区志愿者协会)"),
    Login("13900000008", "周新人", "new user, not yet registered as a volunteer"),
]


def already_loaded() -> bool:
    return User.objects.filter(phone=LOGINS[0].phone).exists()


class DemoBuilder:
    def __init__(
        self,
        *,
        volunteers: int,
        projects: int = 300,
        fill_places: bool = False,
        seed: int = 2026,
        today: datetime.date,
    ):
        self.rng = random.Random(seed)
        self.volunteer_count = volunteers
        self.project_count = projects
        # Benchmarks at 50,000 projects want full shifts without millions of signup rows.
        self.fill_places = fill_places
        self.today = today
        self.password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo user
        self.districts = list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"))
        self.communities = {d.pk: [] for d in self.districts}
        for c in Region.objects.filter(level=Region.Level.COMMUNITY).select_related("parent"):
            self.communities[c.parent.parent_id].append(c)
        self.used_numbers: set[str] = set()
        self.district_of: dict[str, int] = {}  # volunteer number -> home district id

    # --- people ------------------------------------------------------------------------------
    def build(self) -> None:
        named = self.create_logins()
        volunteers = self.create_volunteers()
        orgs = self.create_organisations()
        self.create_memberships(orgs, volunteers, named)
        made = build_demo_projects(
            rng=self.rng,
            orgs=self.rng.sample(orgs, len(orgs)),  # every city gets projects, however few
            today=self.today,
            count=self.project_count,
            fill_places=self.fill_places,
        )
        if not self.fill_places:
            self.create_signups(made.wanted_taken, volunteers)
            self.sign_up_the_named_volunteer(named["13900000007"].volunteer)
            build_demo_attendance(timezone.now())
            build_demo_records(timezone.now())
            self.build_growth_and_sharing()
        self.build_city_figures()

    def build_growth_and_sharing(self) -> None:
        """Issue 5 over the records above: growth, photos, short links, the named calendars."""
        build_demo_growth()
        build_demo_snapshots(rng=self.rng)
        build_demo_shares()
        self.calendar_links = build_demo_calendars()

    def build_city_figures(self) -> None:
        """Issue 6: district sites, wage tables, bases and rankings, and the dashboards."""
        build_demo_sites()
        build_demo_wages()
        build_demo_rankings(rng=self.rng)
        refresh_dashboards()

    def create_logins(self) -> dict[str, User]:
        users = {
            login.phone: User(phone=login.phone, display_name=login.name, password=self.password)
            for login in LOGINS
        }
        superuser = users[LOGINS[0].phone]
        superuser.is_staff = superuser.is_superuser = True
        User.objects.bulk_create(users.values())
        users = {u.phone: u for u in User.objects.filter(phone__in=users)}
        shanghai, chengdu = Region.objects.get(code="31"), Region.objects.get(code="5101")
        roles = [
            ("13900000001", StaffRole.Role.CITY_ADMIN, shanghai),
            ("13900000002", StaffRole.Role.CITY_ADMIN, chengdu),
            ("13900000003", StaffRole.Role.DISTRICT_ADMIN, Region.objects.get(code="310101")),
            ("13900000004", StaffRole.Role.DISTRICT_ADMIN, Region.objects.get(code="510104")),
        ]
        StaffRole.objects.bulk_create(
            StaffRole(user=users[phone], role=role, region=region) for phone, role, region in roles
        )
        self.grant_admin_site(users["13900000001"], users["13900000002"])
        huangpu = Region.objects.get(code="310101")
        self.add_volunteer(users["13900000007"], "袁志愿", huangpu)
        return users

    def grant_admin_site(self, *city_admins: User) -> None:
        """City staff use the Django admin: a group with every model permission."""
        group, _ = Group.objects.get_or_create(name="市级管理员")
        group.permissions.set(Permission.objects.all())
        for user in city_admins:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(group)

    def volunteer_number(self) -> str:
        while True:
            number = f"V{self.rng.randrange(10**9, 10**10)}"
            if number not in self.used_numbers:
                self.used_numbers.add(number)
                return number

    def volunteer_row(self, user: User, name: str, district: Region) -> Volunteer:
        rng = self.rng
        male = rng.random() < 0.45
        born = birth_date(rng, self.today)
        place = district.code if district.code.isdigit() else district.city.code + "00"
        if not ric.is_valid(resident_id(rng, place, born, male=male)):
            place = "310101"  # a place code python-stdnum does not know
        id_number = resident_id(rng, place, born, male=male)
        while id_number in self.used_numbers:  # one person, one account: no twins at scale
            id_number = resident_id(rng, place, born, male=male)
        self.used_numbers.add(id_number)
        identity = check_id_number(RESIDENT_ID, id_number)
        age = (self.today - born).days // 365
        minor = age < 18
        community = rng.choice(self.communities[district.pk] or [district])
        number = self.volunteer_number()
        self.district_of[number] = district.pk
        return Volunteer(
            user=user,
            number=number,
            real_name=name,
            id_type=Volunteer.IdType.RESIDENT_ID,
            id_number_encrypted=encrypt(identity.number),
            id_number_hash=identity.lookup_key,
            id_number_masked=identity.masked,
            gender=identity.gender,
            birth_date=identity.birth_date,
            guardian_name=chinese_name(rng) if minor else "",
            guardian_phone=f"137{rng.randrange(10**8):08d}" if minor else "",
            guardian_consent_at=self.now() if minor else None,
            skills=rng.sample(SKILLS, rng.randint(0, 3)),
            languages=["普通话", *rng.sample(LANGUAGES[1:], rng.randint(0, 1))],
            interests=rng.sample(INTERESTS, rng.randint(1, 3)),
            home_region=community,
            availability=rng.sample(["sat-am", "sat-pm", "sun-am", "sun-pm", "wed-pm"], 2),
        )

    def now(self):
        return timezone.now()

    def add_volunteer(self, user: User, name: str, district: Region) -> Volunteer:
        row = self.volunteer_row(user, name, district)
        row.save()
        return row

    def create_volunteers(self) -> list[Volunteer]:
        rng, rows = self.rng, []
        users = [
            User(phone=f"150{i:08d}", password=self.password) for i in range(self.volunteer_count)
        ]
        User.objects.bulk_create(users, batch_size=500)
        users = list(User.objects.filter(phone__startswith="150").order_by("phone"))
        for user in tqdm(users, desc="志愿者 volunteers", unit="人"):
            rows.append(self.volunteer_row(user, chinese_name(rng), rng.choice(self.districts)))
        Volunteer.objects.bulk_create(rows, batch_size=500)
        return list(Volunteer.objects.filter(user__phone__startswith="150").select_related("user"))

    # --- organisations -----------------------------------------------------------------------
    def credit_code(self, district: Region, kind: str) -> str:
        prefix = {"association": "51", "government": "11", "enterprise": "91", "school": "12"}[kind]
        area = district.code if district.code.isdigit() else district.city.code + "00"
        while True:
            alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
            body = prefix + area + "".join(self.rng.choice(alphabet) for _ in range(9))
            code = body + uscc.calc_check_digit(body)
            if uscc.is_valid(code) and code not in self.used_numbers:
                self.used_numbers.add(code)
                return code

    def org_specs(self, district: Region) -> list[tuple[str, str, Region | None]]:
        d = district.name
        specs = [
            (f"{d}志愿者协会", "association", None),
            (f"{d}文明办志愿服务中心", "government", None),
            (f"{d}实验中学", "school", None),
            (f"{d}惠民科技有限公司", "enterprise", None),
            (f"{d}医疗急救专业志愿服务队", "professional_team", None),
            (f"{d}非遗传承特色志愿服务队", "special_team", None),
        ]
        for community in self.communities[district.pk]:
            name = community.name
            for suffix in ("居民委员会", "村民委员会", "居委会", "村委会", "社区"):
                name = name.removesuffix(suffix)
            specs.append((f"{name}社区志愿服务队", "community_team", community))
        return specs

    def create_organisations(self) -> list[Organisation]:
        rows = []
        for district in tqdm(self.districts, desc="组织 organisations", unit="区"):
            for index, (name, kind, community) in enumerate(self.org_specs(district)):
                status = Organisation.Status.VERIFIED
                if index == 3:  # one enterprise per district still waits for its review
                    status = Organisation.Status.PENDING
                rows.append(
                    Organisation(
                        name=name,
                        kind=kind,
                        credit_code=(
                            self.credit_code(district, kind)
                            if kind in Organisation.KINDS_WITH_CREDIT_CODE
                            else None
                        ),
                        district=district,
                        community=community,
                        address=f"{district.full_name()}{self.rng.randint(1, 999)}号",
                        contact_name=chinese_name(self.rng),
                        contact_phone=f"139{self.rng.randrange(10**8):08d}",
                        introduction=f"{name}组织志愿者参与{d_intro(kind)}。",
                        status=status,
                    )
                )
        Organisation.objects.bulk_create(rows, batch_size=500)
        return list(Organisation.objects.select_related("district").order_by("pk"))

    def create_memberships(self, orgs, volunteers, named: dict[str, User]) -> None:
        rng, rows = self.rng, []
        huangpu_assoc = next(o for o in orgs if o.name == "黄浦区志愿者协会")
        for phone, role in (("13900000005", "admin"), ("13900000006", "leader")):
            rows.append(Membership(organisation=huangpu_assoc, user=named[phone], role=role))
        rows.append(Membership(organisation=huangpu_assoc, user=named["13900000007"]))
        by_district: dict[int, list[Volunteer]] = {}
        for v in volunteers:
            by_district.setdefault(self.district_of[v.number], []).append(v)
        for org in orgs:
            local = by_district.get(org.district_id) or volunteers
            people = rng.sample(local, min(len(local), 6))
            for position, v in enumerate(people):
                role = "admin" if position == 0 else "leader" if position == 1 else "member"
                rows.append(Membership(organisation=org, user=v.user, role=role))
        for row in rows:
            row.status = Membership.Status.ACTIVE
        Membership.objects.bulk_create(rows, batch_size=1000)

    def create_signups(self, wanted_taken: dict[int, int], volunteers: list[Volunteer]) -> None:
        """Confirmed signups as the projects demo planned them, true to invariants 1–3."""
        shifts = Shift.objects.in_bulk(list(wanted_taken))
        busy: dict[int, list[tuple]] = {}  # volunteer id → confirmed (start, end)
        rows, pool = [], list(volunteers)
        for shift_id, wanted in tqdm(wanted_taken.items(), desc="报名 signups", unit="班次"):
            shift = shifts[shift_id]
            chosen = []
            for volunteer in self.rng.sample(pool, min(len(pool), wanted * 3)):
                taken = busy.setdefault(volunteer.pk, [])
                if any(s < shift.ends_at and shift.starts_at < e for s, e in taken):
                    continue  # invariant 3: never two overlapping confirmed shifts
                taken.append((shift.starts_at, shift.ends_at))
                chosen.append(volunteer)
                if len(chosen) == wanted:
                    break
            rows += [Signup(volunteer=v, shift=shift, status="confirmed") for v in chosen]
            shift.taken = len(chosen)
        Signup.objects.bulk_create(rows, batch_size=2000)
        Shift.objects.bulk_update(shifts.values(), ["taken"], batch_size=2000)

    def sign_up_the_named_volunteer(self, volunteer: Volunteer) -> None:
        """Through the real service, so the demo login has upcoming signups and notices."""
        open_shifts = Shift.objects.filter(
            project__status="published",
            project__allocation="first_come",
            project__review_required=False,
            project__recruit_start__lte=timezone.now(),
            project__recruit_end__gt=timezone.now(),
            project__min_age__isnull=True,
            project__teams_only=None,
            starts_at__gt=timezone.now(),
        ).order_by("starts_at")
        signed = 0
        for shift in open_shifts[:20]:
            with contextlib.suppress(ServiceError):  # overlapping or otherwise refused
                signup_create(volunteer=volunteer, shift=shift)
                signed += 1
            if signed == 3:
                return


def d_intro(kind: str) -> str:
    return {
        "association": "社区服务、助老助残和城市文明建设",
        "government": "文明实践和便民服务",
        "school": "支教助学和青少年科普",
        "enterprise": "企业公益和员工志愿服务",
        "professional_team": "应急救护培训和大型活动医疗保障",
        "special_team": "非物质文化遗产传承和文化惠民",
        "community_team": "本社区的邻里互助、助老和环境整治",
    }[kind]
