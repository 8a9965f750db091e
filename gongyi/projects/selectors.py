"""Reads of the projects app: the public finder, one project, an organiser's projects."""

import datetime
import math
import re
from dataclasses import dataclass, field

from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone

from gongyi import permissions
from gongyi.core.clock import LOCAL_TZ
from gongyi.core.page_cache import cache_version
from gongyi.orgs.models import Membership, Organisation
from gongyi.projects import next_starts
from gongyi.projects.models import (
    Beneficiary,
    Category,
    Project,
    ServicePoint,
    Shift,
)
from gongyi.projects.search import keyword_filter
from gongyi.regions.models import Region

PAGE_SIZE = 20
LIST_VERSION_KEY = "projects:list-version"  # moved on by services.list_changed()
# The kinds of organisation a project may restrict its signups to ("members of these teams").
TEAM_KINDS = (
    Organisation.Kind.COMMUNITY_TEAM,
    Organisation.Kind.PROFESSIONAL_TEAM,
    Organisation.Kind.SPECIAL_TEAM,
)
NUMBER_RE = re.compile(r"P[0-9A-Za-z]{6,31}")
KM_PER_DEGREE = 111.195
# Hours (local) when a shift starts, by time of day.
TIMES_OF_DAY = {"morning": (0, 12), "afternoon": (12, 18), "evening": (18, 24)}
SORTS = ("newest", "soon", "nearest")
PUBLIC_STATUSES = (Project.Status.PUBLISHED, Project.Status.CLOSED)


@dataclass
class ProjectFilters:
    district_id: int | None = None
    category: Category | None = None
    beneficiary_id: int | None = None
    mode: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    weekdays: list[int] = field(default_factory=list)
    time_of_day: str = ""
    places_left: bool = False
    q: str = ""
    sort: str = "newest"
    lat: float | None = None
    lng: float | None = None

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lng is not None


def list_version() -> int:
    """Changes whenever the public list may have changed; part of its cache keys."""
    return cache_version(LIST_VERSION_KEY)


def main_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True, is_active=True).order_by(
        "sort_order", "code"
    )


def categories_tree() -> list[Category]:
    """Main categories, each with `subs`: its active subcategories (two queries)."""
    mains = list(main_categories())
    subs: dict[int, list[Category]] = {main.pk: [] for main in mains}
    for sub in Category.objects.filter(parent__in=mains, is_active=True).order_by(
        "sort_order", "code"
    ):
        subs[sub.parent_id].append(sub)
    for main in mains:
        main.subs = subs[main.pk]
    return mains


def beneficiaries() -> QuerySet[Beneficiary]:
    return Beneficiary.objects.order_by("sort_order", "code")


def districts() -> QuerySet[Region]:
    return (
        Region.objects.filter(level=Region.Level.DISTRICT).select_related("city").order_by("code")
    )


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(9000, 12, 31)


def _clamp(day: datetime.date) -> datetime.date:
    # Far-off dates would overflow when converted to UTC; no shift is that far anyway.
    return min(max(day, EARLIEST), LATEST)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL_TZ)


def _shift_conditions(f: ProjectFilters) -> Q | None:
    """What one shift of a matching project must satisfy (all filters on the same shift)."""
    conditions = Q()
    if f.date_from:
        conditions &= Q(starts_at__gte=_local_midnight(_clamp(f.date_from)))
    if f.date_to:
        conditions &= Q(
            starts_at__lt=_local_midnight(_clamp(f.date_to) + datetime.timedelta(days=1))
        )
    if f.weekdays:
        conditions &= Q(starts_at__iso_week_day__in=f.weekdays)
    if f.time_of_day in TIMES_OF_DAY:
        first, last = TIMES_OF_DAY[f.time_of_day]
        conditions &= Q(starts_at__hour__gte=first, starts_at__hour__lt=last)
    if f.places_left:
        has_room = Q(capacity__isnull=True) | Q(taken__lt=F("capacity"))
        conditions &= has_room & Q(starts_at__gt=timezone.now())
    return conditions or None


def shift_conditions(f: ProjectFilters) -> Q | None:
    """What each shift must satisfy under the filters: the calendars list shifts, not
    projects, so they apply these to every shift they show (gongyi.calendars)."""
    return _shift_conditions(f)


def _distance_squared(lat: float, lng: float, *, prefix: str = ""):
    """Squared distance in degrees of latitude (equirectangular: good enough within a city)."""
    scale = math.cos(math.radians(lat))
    dlat = F(f"{prefix}latitude") - Value(lat)
    dlng = (F(f"{prefix}longitude") - Value(lng)) * Value(scale)
    return dlat * dlat + dlng * dlng


def public_projects(f: ProjectFilters) -> QuerySet[Project]:
    """Published projects matching the filters, sorted (with `distance2` near a location)."""
    projects = (
        Project.objects.filter(status=Project.Status.PUBLISHED)
        .select_related("organisation", "district", "category", "subcategory")
        .defer("description", "search_tokens", "organisation__introduction")
    )
    if f.district_id:
        projects = projects.filter(district_id=f.district_id)
    if f.category is not None:
        key = "subcategory" if f.category.parent_id else "category"
        projects = projects.filter(**{key: f.category})
    if f.beneficiary_id:
        projects = projects.filter(beneficiaries__id=f.beneficiary_id)
    if f.mode:
        projects = projects.filter(mode=f.mode)
    shift_conditions = _shift_conditions(f)
    if shift_conditions is not None:
        projects = projects.filter(
            Exists(Shift.objects.filter(shift_conditions, project=OuterRef("pk")))
        )
    keyword = keyword_filter(f.q) if f.q else None
    if f.q and keyword is None:
        return projects.none()
    if keyword is not None:
        projects = projects.filter(keyword)
    next_starts.refresh_passed()  # at most once a minute; see gongyi.projects.next_starts
    if f.has_location:
        nearest = (
            ServicePoint.objects.filter(project=OuterRef("pk"), latitude__isnull=False)
            .annotate(d2=_distance_squared(f.lat, f.lng))
            .order_by("d2")
            .values("d2")[:1]
        )
        projects = projects.annotate(distance2=Subquery(nearest, output_field=FloatField()))
    if f.sort == "soon":
        return projects.order_by(F("next_start").asc(nulls_last=True), "-id")
    if f.sort == "nearest" and f.has_location:
        return projects.order_by(F("distance2").asc(nulls_last=True), "-id")
    # Published projects always have published_at: a plain DESC matches the project_newest index.
    return projects.order_by("-published_at", "-id")


def distance_km(project: Project) -> float | None:
    d2 = getattr(project, "distance2", None)
    return None if d2 is None else math.sqrt(d2) * KM_PER_DEGREE


def project_by_number(number: str) -> Project:
    """The project with this number (any status), or 404; junk numbers never reach the database."""
    if not NUMBER_RE.fullmatch(number or ""):
        raise Http404
    project = (
        Project.objects.select_related("organisation", "district", "category", "subcategory")
        .filter(number=number)
        .first()
    )
    if project is None:
        raise Http404
    return project


def visible_project(*, user, number: str) -> Project:
    """A project the user may see: published or concluded, or any of the user's own."""
    project = project_by_number(number)
    if project.status not in PUBLIC_STATUSES and not permissions.can_lead_project(user, project):
        raise Http404
    return project


def upcoming_shifts(project: Project, *, limit: int = 100) -> list[Shift]:
    return list(
        project.shifts.filter(starts_at__gte=timezone.now())
        .select_related("point")
        .order_by("starts_at", "id")[:limit]
    )


def all_shifts(project: Project) -> QuerySet[Shift]:
    return project.shifts.select_related("point").order_by("starts_at", "id")


def points(project: Project) -> QuerySet[ServicePoint]:
    return project.points.order_by("id")


MAX_ROW_ID = 2**63 - 1


def check_pk(pk: int) -> int:
    """A primary key the databases can hold; bigger ones cannot exist (and would overflow)."""
    if not 1 <= pk <= MAX_ROW_ID:
        raise Http404
    return pk


def point_of(pk: int) -> ServicePoint:
    check_pk(pk)
    point = ServicePoint.objects.select_related("project__organisation").filter(pk=pk).first()
    if point is None:
        raise Http404
    return point


def shift_of(pk: int) -> Shift:
    check_pk(pk)
    shift = Shift.objects.select_related("project__organisation", "point").filter(pk=pk).first()
    if shift is None:
        raise Http404
    return shift


def led_org_ids(user) -> list[int]:
    """Organisations in which the user is an active admin or project leader."""
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(
            user=user, status=Membership.Status.ACTIVE, role__in=("admin", "leader")
        ).values_list("organisation_id", flat=True)
    )


def my_projects(*, user) -> QuerySet[Project]:
    return (
        Project.objects.filter(organisation_id__in=led_org_ids(user))
        .select_related("organisation", "district", "category")
        .order_by("-created_at", "-id")
    )


def publishing_orgs(*, user) -> QuerySet[Organisation]:
    """Verified organisations the user administers: where they may create projects."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        status=Organisation.Status.VERIFIED,
        memberships__user=user,
        memberships__status=Membership.Status.ACTIVE,
        memberships__role=Membership.Role.ADMIN,
    ).order_by("name")


def team_choices() -> QuerySet[Organisation]:
    """The verified volunteer teams: what a project's "members of these teams" may name."""
    return Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, kind__in=TEAM_KINDS
    ).order_by("name")
