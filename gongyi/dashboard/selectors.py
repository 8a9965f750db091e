"""Reads of the dashboard: the figures of a city or a district (`compute`), the stored
snapshot the pages read (`snapshot_for`), and the tables the pages and exports show.

Where each figure comes from (every one derivable from the records, DESIGN invariant 5):

- registered volunteers: `accounts.Volunteer` by home region. A district counts the
  volunteers whose home is the district or a street or community in it; the city counts all
  of its districts' and those whose home is the city itself, or unknown when the platform
  has only the one city. Those are in the city's figure and in no district's.
- organisations: verified `orgs.Organisation` by district.
- projects: published or concluded `projects.Project` by district; "this year": published in
  the current year (Asia/Shanghai).
- service hours: the hour tallies (`gongyi.stats.selectors`, kind TOTAL, CATEGORY), by the
  district of the project served: never a sum over the ledger on a request.
- active volunteers: distinct volunteers with an effective record served in the last twelve
  months in the region's projects. This one counts over the ledger, so `compute` runs in the
  background (`manage.py refresh_dashboards`, every minute in `make run`) and pages read the
  stored snapshot; a stale one is computed again when it is read (`snapshot_for`).
- signups: every `signups.Signup` made (whatever became of it) by the shift's project's
  district; "this year" by the day it was made.
"""

from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.accounts.models import Volunteer
from gongyi.core.clock import LOCAL_TZ as SHANGHAI
from gongyi.core.clock import local_midnight, local_today
from gongyi.dashboard import figures
from gongyi.dashboard.models import DashboardSnapshot
from gongyi.orgs.models import Organisation
from gongyi.projects.models import Category, Project
from gongyi.regions.models import Region
from gongyi.regions.selectors import (
    cities,
    cities_with_districts,
    city_of,
    default_city,
    districts_of,
    region_by_code,
)

__all__ = ["cities", "city_of", "default_city"]  # read here by the dashboard's views
from gongyi.signups.models import Signup
from gongyi.stats import selectors as stats
from gongyi.stats.models import Tally
from gongyi.value.selectors import Wages

# Older than this, a page computes the snapshot again before it shows it.
STALE_AFTER = timedelta(minutes=10)
# How long one request may hold the right to recompute a stale snapshot.
COMPUTE_LOCK_SECONDS = 120
# Bumped when the shape of `data` changes: an older snapshot is computed again.
DATA_VERSION = 1
LEVELS = (Region.Level.CITY, Region.Level.DISTRICT)

# Age bands: (key, lowest age, highest age or None).
AGE_BANDS = (
    ("under_18", None, 17),
    ("18_35", 18, 35),
    ("36_45", 36, 45),
    ("46_59", 46, 59),
    ("60_plus", 60, None),
)
AGE_BAND_LABELS = {
    "under_18": _("Under 18"),
    "18_35": _("18–35"),
    "36_45": _("36–45"),
    "46_59": _("46–59"),
    "60_plus": _("60 and over"),
    "unknown": _("Unknown"),
}
GENDERS = ("M", "F", "unknown")
GENDER_LABELS = {"M": _("Male"), "F": _("Female"), "unknown": _("Unknown")}
LIVE_PROJECT = (Project.Status.PUBLISHED, Project.Status.CLOSED)


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- regions --------------------------------------------------------------------------------


def dashboard_region(code: str | None) -> Region | None:
    """A city or a district by its code, or None for anything else."""
    return region_by_code(code, levels=LEVELS)


def chooser() -> list[dict]:
    """Every city with its districts, for the region chooser."""
    return cities_with_districts()


def _places_in_district(district: Region) -> QuerySet:
    """Ids of the district and of its streets and communities."""
    return Region.objects.filter(
        Q(pk=district.pk) | Q(parent=district) | Q(parent__parent=district)
    ).values("pk")


def _volunteers_of(region: Region) -> QuerySet[Volunteer]:
    if region.level == Region.Level.DISTRICT:
        return Volunteer.objects.filter(home_region__in=_places_in_district(region))
    at_home = Q(home_region=region) | Q(home_region__city=region)
    if cities().count() == 1:  # the only city: an unknown home is in it too
        at_home |= Q(home_region__isnull=True)
    return Volunteer.objects.filter(at_home)


def _district_q(region: Region, path: str) -> Q:
    """Rows whose `path` (a district foreign key) lies in the region."""
    if region.level == Region.Level.DISTRICT:
        return Q(**{path: region})
    return Q(**{f"{path}__city": region})


# --- figures --------------------------------------------------------------------------------


def compute(
    region: Region,
    *,
    today: date | None = None,
    active: int | None = None,
    traffic: dict | None = None,
    wages: Wages | None = None,
) -> dict:
    """Every figure of the region's dashboard, as JSON-ready data. Pure read; slow at city
    scale (one count over the ledger): the pages read `snapshot_for` instead. What a caller
    refreshing several regions has read already is passed in, not read again: `active`, the
    active volunteers (`active_by_district`); `traffic`, the platform's (`figures.traffic`,
    the same for every region); `wages`, the city's wage tables (`value.selectors.Wages`)."""
    today = today or local_today()
    year = today.year
    data = {
        "version": DATA_VERSION,
        "region": {
            "code": region.code,
            "name": region.name,
            "level": region.level,
            "city_code": city_of(region).code,
        },
        "year": year,
        "as_of": today.isoformat(),
    }
    data.update(_people(region, today))
    data.update(_activity(region, year))
    data["active_volunteers"] = active_volunteers(region, today) if active is None else active
    data.update(_hours(region, year))
    data["value"] = figures.economic_value(region, year, wages=wages)
    data["traffic"] = figures.traffic(today) if traffic is None else traffic
    return data


def _people(region: Region, today: date) -> dict:
    volunteers = _volunteers_of(region)
    year = today.year
    total = volunteers.count()
    new_by_month = dict(
        volunteers.filter(registered_at__gte=local_midnight(date(year, 1, 1)))
        .annotate(m=ExtractMonth("registered_at", tzinfo=SHANGHAI))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("m", "n")
    )
    bands = {}
    for key, low, high in AGE_BANDS:
        q = Q(birth_date__isnull=False)
        if low is not None:
            q &= Q(birth_date__lte=years_before(today, low))
        if high is not None:
            q &= Q(birth_date__gt=years_before(today, high + 1))
        bands[key] = Count("pk", filter=q)
    bands["unknown"] = Count("pk", filter=Q(birth_date__isnull=True))
    by_gender = {g: dict.fromkeys(AGE_BAND_LABELS, 0) for g in GENDERS}
    for row in volunteers.values("gender").annotate(**bands).order_by():
        gender = row.pop("gender")
        gender = gender if gender in ("M", "F") else "unknown"
        for band, n in row.items():
            by_gender[gender][band] += n
    unplaced = 0
    if region.level == Region.Level.CITY:
        placed = Q(home_region__level__gte=Region.Level.DISTRICT)
        unplaced = volunteers.exclude(placed).count()
    return {
        "volunteers": {
            "total": total,
            "this_year": sum(new_by_month.values()),
            "without_district": unplaced,
        },
        "new_volunteers_by_month": {str(m): n for m, n in new_by_month.items()},
        "age_gender": [
            {"band": band, **{g: by_gender[g][band] for g in GENDERS}} for band in AGE_BAND_LABELS
        ],
    }


def _activity(region: Region, year: int) -> dict:
    start = local_midnight(date(year, 1, 1))
    orgs = Organisation.objects.filter(
        _district_q(region, "district"), status=Organisation.Status.VERIFIED
    )
    projects = Project.objects.filter(
        _district_q(region, "district"), status__in=LIVE_PROJECT, published_at__isnull=False
    )
    signups = Signup.objects.filter(_district_q(region, "shift__project__district"))
    signups_by_month = dict(
        signups.filter(created_at__gte=start)
        .annotate(m=ExtractMonth("created_at", tzinfo=SHANGHAI))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("m", "n")
    )
    return {
        "organisations": orgs.count(),
        "projects": {
            "this_year": projects.filter(published_at__gte=start).count(),
            "total": projects.count(),
        },
        "signups": {"this_year": sum(signups_by_month.values()), "total": signups.count()},
        "signups_by_month": {str(m): n for m, n in signups_by_month.items()},
    }


def _recent_records(region: Region, today: date) -> QuerySet:
    since = years_before(today, 1) + timedelta(days=1)
    from gongyi.service.selectors import counting_records

    return counting_records().filter(
        _district_q(region, "project__district"), served_on__gte=since, served_on__lte=today
    )


def active_volunteers(region: Region, today: date) -> int:
    """Distinct volunteers with an effective record served in the twelve months up to today
    in the region's projects (a count over the ledger: background only)."""
    return _recent_records(region, today).values("volunteer_id").distinct().count()


def active_by_district(city: Region, today: date) -> dict[int, int]:
    """`active_volunteers` of every district of the city in one pass over the ledger."""
    rows = (
        _recent_records(city, today)
        .values("project__district")
        .annotate(n=Count("volunteer_id", distinct=True))
        .order_by()
        .values_list("project__district", "n")
    )
    return dict(rows)


def _hours(region: Region, year: int) -> dict:
    total = stats.figure(Tally.Kind.TOTAL, region.pk)
    this_year = stats.figure(Tally.Kind.TOTAL, region.pk, year=year)
    months = stats.by_month(Tally.Kind.TOTAL, region.pk, year)
    all_time = stats.by_subject(Tally.Kind.CATEGORY, region.pk)
    in_year = stats.by_subject(Tally.Kind.CATEGORY, region.pk, year)
    ids = {i for i, (m, _r) in all_time.items() if m} | {i for i, (m, _r) in in_year.items() if m}
    categories = Category.objects.filter(pk__in=ids).order_by("sort_order", "code")
    category_rows = [
        {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "minutes": all_time.get(c.pk, (0, 0))[0],
            "minutes_this_year": in_year.get(c.pk, (0, 0))[0],
        }
        for c in categories
    ]
    category_rows.sort(key=lambda row: -row["minutes"])
    district_rows = []
    districts = list(districts_of(region)) if region.level == Region.Level.CITY else []
    if districts:
        ids = [d.pk for d in districts]
        all_time = stats.by_region(Tally.Kind.TOTAL, ids)
        in_year = stats.by_region(Tally.Kind.TOTAL, ids, year=year)
        district_rows = [
            {
                "code": d.code,
                "name": d.name,
                "minutes": all_time.get(d.pk, (0, 0))[0],
                "minutes_this_year": in_year.get(d.pk, (0, 0))[0],
            }
            for d in districts
        ]
    return {
        "hours": {
            "total_minutes": total[0],
            "total_records": total[1],
            "this_year_minutes": this_year[0],
            "this_year_records": this_year[1],
        },
        "minutes_by_month": {str(m): minutes for m, (minutes, _r) in months.items()},
        "categories": category_rows,
        "districts": district_rows,
    }


# --- the stored snapshot --------------------------------------------------------------------


def stored(region: Region) -> DashboardSnapshot | None:
    return DashboardSnapshot.objects.filter(region=region).first()


def is_fresh(snapshot: DashboardSnapshot | None, now: datetime | None = None) -> bool:
    if snapshot is None or snapshot.data.get("version") != DATA_VERSION:
        return False
    now = now or timezone.now()
    as_of = snapshot.data.get("as_of")
    # A new day (or year) in Shanghai moves "this year" and the twelve months: recompute.
    return now - snapshot.computed_at < STALE_AFTER and as_of == local_today().isoformat()


def snapshot_for(region: Region) -> DashboardSnapshot:
    """The region's stored snapshot; computed and stored now when missing or stale. While
    one request recomputes a stale snapshot, the others show the stale one rather than all
    computing it at once."""
    from gongyi.dashboard import services

    snapshot = stored(region)
    if is_fresh(snapshot):
        return snapshot
    lock = f"dashboard:computing:{region.pk}"
    acquired = cache.add(lock, 1, timeout=COMPUTE_LOCK_SECONDS)
    if not acquired and snapshot is not None:
        return snapshot
    try:
        return services.refresh_region(region=region)
    finally:
        if acquired:
            cache.delete(lock)
