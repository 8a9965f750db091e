"""Writes of the projects app: projects, their service points and shifts.

Every function is keyword-only, checks the actor through `gongyi.permissions`, runs in one
transaction and leaves an audit entry. Refusals are `ServiceError`s (`NotAllowed` for a missing
role) with a message in the user's language; nothing is changed when one is raised.
"""

import csv
import datetime
import io
from collections.abc import Iterable

import nh3
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi import permissions
from gongyi.core.audit import audit_log
from gongyi.core.clock import LOCAL_TZ
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.core.page_cache import bump_cache_version
from gongyi.orgs.models import Organisation
from gongyi.orgs.validators import clean_district, clean_logo, clean_phone
from gongyi.projects import next_starts
from gongyi.projects.models import (
    Beneficiary,
    Category,
    Project,
    ServicePoint,
    Shift,
)
from gongyi.projects.search import html_to_text, tokens_for_search
from gongyi.projects.selectors import LIST_VERSION_KEY, TEAM_KINDS
from gongyi.regions.models import Region
from gongyi.regions.selectors import city_of

MIN_AGE, MAX_AGE = 14, 100
MAX_CAPACITY = 100_000
MAX_BULK_SHIFTS = 500
MAX_POINTS_PER_IMPORT = 5_000
FIRST_YEAR, LAST_YEAR = 2000, 2100

# Basic formatting only: no scripts, styles, images, frames or event handlers.
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li",
    "h3", "h4", "blockquote", "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
TEXT_LIMITS = {"title": 100, "summary": 300, "description": 20_000, "contact_name": 50}
PROJECT_FIELDS = (
    "title", "summary", "description", "category", "subcategory", "beneficiaries", "district",
    "mode", "recruit_start", "recruit_end", "service_start", "service_end", "min_age", "max_age",
    "real_name_only", "skills", "teams_only", "review_required", "allocation",
    "cancel_hours_before", "contact_name", "contact_phone",
)  # fmt: skip
POINT_FIELDS = ("name", "address", "latitude", "longitude", "geofence_metres")


# --- helpers --------------------------------------------------------------------------------


def _check_editable(project: Project) -> None:
    if project.is_finished:
        raise ServiceError(
            "project_finished", _("A concluded or cancelled project cannot be edited.")
        )


def sanitise_description(markup: str) -> str:
    return nh3.clean(
        markup or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def list_changed() -> None:
    """The public list may show something else now: new cache keys for its pages."""
    bump_cache_version(LIST_VERSION_KEY)


def _no_nul(value) -> str:
    # PostgreSQL refuses NUL characters in text outright: drop them rather than fail later.
    return str(value or "").replace("\x00", "")


def _text(value, field: str, *, required: bool) -> str:
    value = _no_nul(value).strip()
    if required and not value:
        raise ServiceError("required", _("This field is required."), field=field)
    if len(value) > TEXT_LIMITS[field]:
        raise ServiceError(
            "too_long",
            _("At most %(limit)d characters.") % {"limit": TEXT_LIMITS[field]},
            field=field,
        )
    return value


def _check_year(value, field: str) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ServiceError(
            "date_out_of_range",
            _("Choose a date between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
        )


def _aware(value: datetime.datetime | None, field: str) -> datetime.datetime:
    if value is None:
        raise ServiceError("required", _("This field is required."), field=field)
    _check_year(value, field)
    return timezone.make_aware(value, LOCAL_TZ) if timezone.is_naive(value) else value


def _choice(value, choices, field: str) -> str:
    value = getattr(value, "value", value)
    if value not in choices.values:
        raise ServiceError("invalid_choice", _("Choose one of the options."), field=field)
    return value


def _clean_categories(category, subcategory) -> tuple[Category, Category | None]:
    if category is None or category.parent_id is not None or not category.is_active:
        raise ServiceError("category_invalid", _("Choose a main category."), field="category")
    if subcategory is not None and (
        subcategory.parent_id != category.pk or not subcategory.is_active
    ):
        raise ServiceError(
            "subcategory_invalid",
            _("The subcategory must belong to the chosen main category."),
            field="subcategory",
        )
    return category, subcategory


def _clean_district(district, org: Organisation) -> Region:
    district = clean_district(district)
    if city_of(district).pk != city_of(org.district).pk:
        raise ServiceError(
            "district_invalid",
            _("Choose a district in the organisation's city."),
            field="district",
        )
    return district


def _clean_ages(min_age, max_age) -> tuple[int | None, int | None]:
    for value, field in ((min_age, "min_age"), (max_age, "max_age")):
        if value is not None and not MIN_AGE <= value <= MAX_AGE:
            raise ServiceError(
                "age_invalid",
                _("Ages run from %(min)d to %(max)d.") % {"min": MIN_AGE, "max": MAX_AGE},
                field=field,
            )
    if min_age is not None and max_age is not None and max_age < min_age:
        raise ServiceError(
            "age_range_invalid",
            _("The maximum age cannot be below the minimum age."),
            field="max_age",
        )
    return min_age, max_age


def _clean_periods(cleaned: dict) -> None:
    start = cleaned["recruit_start"] = _aware(cleaned.get("recruit_start"), "recruit_start")
    end = cleaned["recruit_end"] = _aware(cleaned.get("recruit_end"), "recruit_end")
    if end <= start:
        raise ServiceError(
            "recruit_window_invalid",
            _("Recruitment must close after it opens."),
            field="recruit_end",
        )
    for field in ("service_start", "service_end"):
        if cleaned.get(field) is None:
            raise ServiceError("required", _("This field is required."), field=field)
        _check_year(cleaned[field], field)
    if cleaned["service_end"] < cleaned["service_start"]:
        raise ServiceError(
            "service_period_invalid",
            _("The service period must end on or after the day it starts."),
            field="service_end",
        )
    if timezone.localtime(start, LOCAL_TZ).date() > cleaned["service_end"]:
        raise ServiceError(
            "recruit_window_invalid",
            _("Recruitment must open before the service period ends."),
            field="recruit_start",
        )


def _clean_teams(teams: Iterable[Organisation] | None) -> list[Organisation]:
    teams = list(teams or [])
    for team in teams:
        if team.kind not in TEAM_KINDS or not team.is_verified:
            raise ServiceError(
                "team_invalid",
                _("%(name)s is not a verified volunteer team.") % {"name": team.name},
                field="teams_only",
            )
    return teams


def _clean_skills(skills) -> list[str]:
    if isinstance(skills, str):
        skills = skills.replace("，", ",").split(",")
    skills = [_no_nul(s).strip() for s in (skills or []) if _no_nul(s).strip()]
    if len(skills) > 20 or any(len(s) > 30 for s in skills):
        raise ServiceError(
            "skills_invalid", _("At most 20 skills of up to 30 characters."), field="skills"
        )
    return list(dict.fromkeys(skills))


def clean_project_fields(fields: dict, *, org: Organisation) -> dict:
    """All editable fields of a project checked and normalised, or a ServiceError."""
    cleaned = dict(fields)
    cleaned["title"] = _text(fields.get("title"), "title", required=True)
    cleaned["summary"] = _text(fields.get("summary"), "summary", required=False)
    cleaned["description"] = sanitise_description(
        _text(fields.get("description"), "description", required=False)
    )
    cleaned["category"], cleaned["subcategory"] = _clean_categories(
        fields.get("category"), fields.get("subcategory")
    )
    cleaned["district"] = _clean_district(fields.get("district"), org)
    cleaned["mode"] = _choice(fields.get("mode") or "onsite", Project.Mode, "mode")
    cleaned["allocation"] = _choice(
        fields.get("allocation") or "first_come", Project.Allocation, "allocation"
    )
    _clean_periods(cleaned)
    cleaned["min_age"], cleaned["max_age"] = _clean_ages(
        fields.get("min_age"), fields.get("max_age")
    )
    hours = fields.get("cancel_hours_before")
    cleaned["cancel_hours_before"] = 24 if hours is None else hours
    if not 0 <= cleaned["cancel_hours_before"] <= 720:
        raise ServiceError(
            "cancel_hours_invalid",
            _("Between 0 and 720 hours."),
            field="cancel_hours_before",
        )
    cleaned["contact_name"] = _text(fields.get("contact_name"), "contact_name", required=True)
    cleaned["contact_phone"] = clean_phone(_no_nul(fields.get("contact_phone")))
    cleaned["skills"] = _clean_skills(fields.get("skills"))
    cleaned["teams_only"] = _clean_teams(fields.get("teams_only"))
    cleaned["beneficiaries"] = list(fields.get("beneficiaries") or [])
    for flag in ("real_name_only", "review_required"):
        cleaned[flag] = bool(fields.get(flag, flag == "real_name_only"))
    return {name: cleaned[name] for name in PROJECT_FIELDS}


def project_fields_of(project: Project) -> dict:
    """The project's editable fields as `clean_project_fields` takes them."""
    fields = {
        name: getattr(project, name)
        for name in PROJECT_FIELDS
        if name not in ("beneficiaries", "teams_only")
    }
    fields["beneficiaries"] = list(project.beneficiaries.all())
    fields["teams_only"] = list(project.teams_only.all())
    return fields


def _search_tokens(project: Project) -> str:
    return tokens_for_search(project.title, project.summary, html_to_text(project.description))


def number_prefix(district_code: str, day: datetime.date) -> str:
    """`P` + district code + YYYYMMDD: project numbers of that district and day start so."""
    return f"P{district_code}{day:%Y%m%d}"


def next_number(district: Region, day: datetime.date) -> str:
    """The district's and day's prefix and the next 4-digit sequence."""
    prefix = number_prefix(district.code, day)
    last = (
        Project.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _insert_numbered(project: Project, attempts: int = 20) -> None:
    """Insert with the next free number; two creators racing for it retry with the next one."""
    day = timezone.localdate(timezone=LOCAL_TZ)
    for _attempt in range(attempts):
        project.number = next_number(project.district, day)
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the outer transaction usable
                project.save(force_insert=True)
            return
        except IntegrityError:
            if Project.objects.filter(number=project.number).exists():
                project.pk = None
                continue
            raise
    raise ServiceError("busy", _("Too many projects at once; please try again."))


def _set_relations(project: Project, cleaned: dict) -> None:
    project.beneficiaries.set(cleaned["beneficiaries"])
    project.teams_only.set(cleaned["teams_only"])


# --- projects -------------------------------------------------------------------------------


def project_create(*, actor, org: Organisation, cover=None, **fields) -> Project:
    """A new draft project of the organisation; its admin publishes it once it has shifts."""
    require_allowed(permissions.can_publish_for_org(actor, org))
    cleaned = clean_project_fields(fields, org=org)
    if cover is not None:
        cover = clean_cover(cover)
    relations = {key: cleaned.pop(key) for key in ("beneficiaries", "teams_only")}
    with transaction.atomic():
        project = Project(organisation=org, created_by=actor, **cleaned)
        project.search_tokens = _search_tokens(project)
        if cover is not None:
            project.cover.save(cover.name, cover, save=False)
        _insert_numbered(project)
        _set_relations(project, relations)
        audit_log(actor=actor, action="project.created", target=project, number=project.number)
    return project


def project_update(*, actor, project: Project, cover=None, **changes) -> Project:
    """Change some fields of the project (the others keep their values)."""
    require_allowed(permissions.can_manage_project(actor, project))
    _check_editable(project)
    fields = project_fields_of(project)
    fields.update(changes)
    cleaned = clean_project_fields(fields, org=project.organisation)
    if cover is not None:
        cover = clean_cover(cover)
    relations = {key: cleaned.pop(key) for key in ("beneficiaries", "teams_only")}
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(project, name, value)
        project.search_tokens = _search_tokens(project)
        if cover is not None:
            project.cover.save(cover.name, cover, save=False)
        project.save()
        _set_relations(project, relations)
        audit_log(actor=actor, action="project.updated", target=project, fields=sorted(changes))
    list_changed()
    return project


def clean_cover(upload):
    """The cover re-encoded without EXIF (the organisations' logo check, with this field)."""
    try:
        image = clean_logo(upload)
    except ServiceError as error:
        raise ServiceError(
            error.code.replace("logo", "cover"), error.message, field="cover"
        ) from None
    image.name = "cover.png"
    return image


def project_publish(*, actor, project: Project) -> Project:
    """Draft → published: visible and open to signups (from its recruitment window on)."""
    require_allowed(permissions.can_manage_project(actor, project))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != Project.Status.DRAFT:
            raise ServiceError("not_draft", _("Only a draft can be published."))
        if not project.organisation.can_publish:
            raise ServiceError(
                "org_not_verified", _("Only a verified organisation can publish projects.")
            )
        if not project.shifts.exists():
            raise ServiceError(
                "no_shifts", _("Add at least one shift before publishing the project.")
            )
        project.status = Project.Status.PUBLISHED
        project.published_at = timezone.now()
        project.save(update_fields=["status", "published_at"])
        audit_log(actor=actor, action="project.published", target=project)
    list_changed()
    return project


def project_close(*, actor, project: Project) -> Project:
    """Published → concluded (已结项): no more signups; it stays on record."""
    require_allowed(permissions.can_manage_project(actor, project))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status != Project.Status.PUBLISHED:
            raise ServiceError("not_published", _("Only a published project can be concluded."))
        project.status = Project.Status.CLOSED
        project.save(update_fields=["status"])
        audit_log(actor=actor, action="project.closed", target=project)
    list_changed()
    return project


# --- service points -------------------------------------------------------------------------


def _clean_point(fields: dict) -> dict:
    name = _no_nul(fields.get("name")).strip()
    if not name:
        raise ServiceError("required", _("This field is required."), field="name")
    if len(name) > 100:
        raise ServiceError(
            "too_long", _("At most %(limit)d characters.") % {"limit": 100}, field="name"
        )
    address = _no_nul(fields.get("address")).strip()
    if len(address) > 200:
        raise ServiceError(
            "too_long", _("At most %(limit)d characters.") % {"limit": 200}, field="address"
        )
    lat, lng = fields.get("latitude"), fields.get("longitude")
    if (lat is None) != (lng is None):
        raise ServiceError(
            "coordinates_invalid",
            _("Give both latitude and longitude, or neither."),
            field="latitude",
        )
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ServiceError(
            "coordinates_invalid",
            _("Latitude runs from -90 to 90 and longitude from -180 to 180."),
            field="latitude",
        )
    radius = fields.get("geofence_metres")
    radius = 500 if radius is None else radius
    if not 20 <= radius <= 10_000:
        raise ServiceError(
            "radius_invalid",
            _("The check-in radius is 20 to 10,000 metres."),
            field="geofence_metres",
        )
    return {
        "name": name,
        "address": address,
        "latitude": lat,
        "longitude": lng,
        "geofence_metres": radius,
    }


def point_create(*, actor, project: Project, **fields) -> ServicePoint:
    require_allowed(permissions.can_manage_project(actor, project))
    _check_editable(project)
    cleaned = _clean_point(fields)
    with transaction.atomic():
        point = ServicePoint.objects.create(project=project, **cleaned)
        audit_log(actor=actor, action="project.point_added", target=point, project=project.number)
    return point


def point_update(*, actor, point: ServicePoint, **changes) -> ServicePoint:
    require_allowed(permissions.can_manage_project(actor, point.project))
    _check_editable(point.project)
    fields = {name: getattr(point, name) for name in POINT_FIELDS}
    fields.update(changes)
    cleaned = _clean_point(fields)
    with transaction.atomic():
        for name, value in cleaned.items():
            setattr(point, name, value)
        point.save()
        audit_log(actor=actor, action="project.point_updated", target=point)
    return point


def _shifts_in_use(shifts) -> bool:
    """Whether any of the shifts holds places or is referred to by rows of later apps
    (signups, attendance…): asked generically, so this app needs not import them."""
    if shifts.filter(taken__gt=0).exists():
        return True
    for relation in Shift._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            rows = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": shifts}
            )
            if rows.exists():
                return True
    return False


def point_delete(*, actor, point: ServicePoint) -> ServicePoint:
    """Remove a point and its shifts, unless someone signed up for one of them; returns the
    removed point."""
    require_allowed(permissions.can_manage_project(actor, point.project))
    _check_editable(point.project)
    with transaction.atomic():
        if _shifts_in_use(point.shifts.all()):
            raise ServiceError(
                "point_in_use", _("Volunteers hold places on shifts here; it cannot be removed.")
            )
        audit_log(actor=actor, action="project.point_deleted", target=point, name=point.name)
        try:
            point.delete()
        except ProtectedError:
            raise ServiceError(
                "point_in_use", _("Volunteers hold places on shifts here; it cannot be removed.")
            ) from None
    return point


def _float(raw: str) -> float | None:
    raw = (raw or "").strip()
    return float(raw) if raw else None


def points_import(*, actor, project: Project, rows: Iterable[dict]) -> int:
    """Add many points at once (all or none); each row has name, address, latitude, longitude."""
    require_allowed(permissions.can_manage_project(actor, project))
    _check_editable(project)
    points = []
    for line, row in enumerate(rows, start=1):
        if line > MAX_POINTS_PER_IMPORT:
            raise ServiceError(
                "too_many_points",
                _("At most %(limit)d points at a time.") % {"limit": MAX_POINTS_PER_IMPORT},
            )
        try:
            cleaned = _clean_point(row)
        except ServiceError as error:
            raise ServiceError(
                error.code, _("Line %(line)d: %(error)s") % {"line": line, "error": error.message}
            ) from None
        points.append(ServicePoint(project=project, **cleaned))
    if not points:
        raise ServiceError("no_points", _("There is no point to add."))
    with transaction.atomic():
        ServicePoint.objects.bulk_create(points, batch_size=500)
        audit_log(actor=actor, action="project.points_imported", target=project, count=len(points))
    return len(points)


def parse_points_csv(text: str) -> list[dict]:
    """CSV lines `name,address,latitude,longitude` (a header line is skipped) into rows."""
    rows = []
    for line, record in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not record or not any(cell.strip() for cell in record):
            continue
        if line == 1 and record[0].strip().lower() in ("name", "名称"):
            continue
        record = [*record, "", "", ""][:4]
        try:
            lat, lng = _float(record[2]), _float(record[3])
        except ValueError:
            raise ServiceError(
                "coordinates_invalid",
                _("Line %(line)d: latitude and longitude must be numbers.") % {"line": line},
            ) from None
        rows.append({"name": record[0], "address": record[1], "latitude": lat, "longitude": lng})
    return rows


# --- shifts ---------------------------------------------------------------------------------


def _clean_capacity(capacity) -> int | None:
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise ServiceError(
            "capacity_invalid",
            _("Places run from 1 to %(max)d; leave empty for unlimited.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    return capacity


def _clean_times(
    project: Project, starts_at, ends_at
) -> tuple[datetime.datetime, datetime.datetime]:
    starts_at, ends_at = _aware(starts_at, "starts_at"), _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ServiceError(
            "shift_times_invalid", _("A shift must end after it starts."), field="ends_at"
        )
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise ServiceError("shift_too_long", _("A shift lasts at most 24 hours."), field="ends_at")
    day = timezone.localtime(starts_at, LOCAL_TZ).date()
    if not project.service_start <= day <= project.service_end:
        raise ServiceError(
            "shift_outside_period",
            _("Shifts must start within the service period (%(start)s to %(end)s).")
            % {"start": project.service_start, "end": project.service_end},
            field="starts_at",
        )
    return starts_at, ends_at


def _clean_point_of(project: Project, point: ServicePoint | None) -> ServicePoint:
    if point is None or point.project_id != project.pk:
        raise ServiceError(
            "point_invalid", _("Choose a service point of this project."), field="point"
        )
    return point


def shift_create(
    *, actor, project: Project, point: ServicePoint, starts_at, ends_at, capacity=None
) -> Shift:
    require_allowed(permissions.can_manage_project(actor, project))
    _check_editable(project)
    point = _clean_point_of(project, point)
    starts_at, ends_at = _clean_times(project, starts_at, ends_at)
    capacity = _clean_capacity(capacity)
    with transaction.atomic():
        shift = Shift.objects.create(
            project=project, point=point, starts_at=starts_at, ends_at=ends_at, capacity=capacity
        )
        next_starts.refresh([project.pk])
        audit_log(actor=actor, action="project.shift_added", target=shift, project=project.number)
    return shift


def shift_update(*, actor, shift: Shift, **changes) -> Shift:
    """Change a shift; never below its confirmed count, and no moving it once people hold places."""
    project = shift.project
    require_allowed(permissions.can_manage_project(actor, project))
    _check_editable(project)
    point = _clean_point_of(project, changes.get("point", shift.point))
    starts_at, ends_at = _clean_times(
        project, changes.get("starts_at", shift.starts_at), changes.get("ends_at", shift.ends_at)
    )
    capacity = _clean_capacity(changes.get("capacity", shift.capacity))
    with transaction.atomic():
        shift = Shift.objects.select_for_update().select_related("project").get(pk=shift.pk)
        if capacity is not None and capacity < shift.taken:
            raise ServiceError(
                "capacity_below_taken",
                _("%(taken)d places are already taken; the capacity cannot be lower.")
                % {"taken": shift.taken},
                field="capacity",
            )
        moved = (starts_at, ends_at, point.pk) != (shift.starts_at, shift.ends_at, shift.point_id)
        if moved and shift.taken:
            # Confirmed volunteers planned around this slot (and must not end up overlapping).
            raise ServiceError(
                "shift_in_use",
                _("Volunteers hold places on this shift; its time and place cannot change."),
                field="starts_at",
            )
        shift.point, shift.starts_at, shift.ends_at, shift.capacity = (
            point,
            starts_at,
            ends_at,
            capacity,
        )
        shift.save(update_fields=["point", "starts_at", "ends_at", "capacity"])
        next_starts.refresh([project.pk])
        audit_log(actor=actor, action="project.shift_updated", target=shift, capacity=capacity)
    return shift


def shift_delete(*, actor, shift: Shift) -> Shift:
    """Remove a shift nobody signed up for; returns the removed shift."""
    require_allowed(permissions.can_manage_project(actor, shift.project))
    _check_editable(shift.project)
    with transaction.atomic():
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        if _shifts_in_use(Shift.objects.filter(pk=locked.pk)):
            raise ServiceError(
                "shift_in_use",
                _("Volunteers have signed up for this shift; it cannot be removed."),
            )
        audit_log(actor=actor, action="project.shift_deleted", target=locked)
        try:
            locked.delete()
        except ProtectedError:
            raise ServiceError(
                "shift_in_use", _("Volunteers have signed up for this shift; it cannot be removed.")
            ) from None
        next_starts.refresh([locked.project_id])
    return locked


def repeating_days(*, date_from: datetime.date, date_to: datetime.date, weekdays: Iterable[int]):
    """Days from `date_from` to `date_to` (inclusive) on the given ISO weekdays (1 = Monday)."""
    wanted = set(weekdays)
    day = date_from
    while day <= date_to:
        if day.isoweekday() in wanted:
            yield day
        day += datetime.timedelta(days=1)


def shifts_create_repeating(
    *,
    actor,
    project: Project,
    point: ServicePoint,
    weekdays: Iterable[int],
    start_time: datetime.time,
    end_time: datetime.time,
    date_from: datetime.date,
    date_to: datetime.date,
    capacity: int | None = None,
) -> list[Shift]:
    """Shifts on the given weekdays between two dates, at the same local (Shanghai) times."""
    require_allowed(permissions.can_manage_project(actor, project))
    _check_editable(project)
    point = _clean_point_of(project, point)
    capacity = _clean_capacity(capacity)
    weekdays = {int(day) for day in weekdays}
    # Local wall-clock times: an offset sent along is ignored (and would not compare with none).
    start_time, end_time = start_time.replace(tzinfo=None), end_time.replace(tzinfo=None)
    if not weekdays or not weekdays <= set(range(1, 8)):
        raise ServiceError("weekdays_invalid", _("Choose at least one weekday."), field="weekdays")
    if end_time <= start_time:
        raise ServiceError(
            "shift_times_invalid", _("A shift must end after it starts."), field="end_time"
        )
    _check_year(date_from, "date_from")
    _check_year(date_to, "date_to")
    if date_to < date_from:
        raise ServiceError(
            "date_range_invalid", _("The last day cannot be before the first."), field="date_to"
        )
    if (date_to - date_from).days > 3 * 366:
        raise ServiceError(
            "date_range_invalid", _("At most three years at a time."), field="date_to"
        )
    days = list(repeating_days(date_from=date_from, date_to=date_to, weekdays=weekdays))
    if not days:
        raise ServiceError(
            "no_days", _("No day in that range falls on the chosen weekdays."), field="weekdays"
        )
    if len(days) > MAX_BULK_SHIFTS:
        raise ServiceError(
            "too_many_shifts",
            _("That makes %(count)d shifts; at most %(limit)d at a time.")
            % {"count": len(days), "limit": MAX_BULK_SHIFTS},
            field="date_to",
        )
    shifts = []
    for day in days:
        starts_at = datetime.datetime.combine(day, start_time, tzinfo=LOCAL_TZ)
        ends_at = datetime.datetime.combine(day, end_time, tzinfo=LOCAL_TZ)
        _clean_times(project, starts_at, ends_at)
        shifts.append(
            Shift(
                project=project,
                point=point,
                starts_at=starts_at,
                ends_at=ends_at,
                capacity=capacity,
            )
        )
    with transaction.atomic():
        created = Shift.objects.bulk_create(shifts)
        next_starts.refresh([project.pk])
        audit_log(actor=actor, action="project.shifts_added", target=project, count=len(created))
    return created


# --- taxonomy -------------------------------------------------------------------------------


def load_taxonomy(data: dict) -> dict[str, int]:
    """Create or update categories and beneficiary groups by code; delete nothing."""
    counts = {"categories": 0, "beneficiaries": 0}
    with transaction.atomic():
        for order, main in enumerate(data.get("categories", []), start=1):
            parent, _created = Category.objects.update_or_create(
                code=main["code"],
                defaults={
                    "name": main["name"],
                    "name_en": main.get("name_en", ""),
                    "parent": None,
                    "sort_order": order * 10,
                },
            )
            counts["categories"] += 1
            for sub_order, sub in enumerate(main.get("children", []), start=1):
                Category.objects.update_or_create(
                    code=sub["code"],
                    defaults={
                        "name": sub["name"],
                        "name_en": sub.get("name_en", ""),
                        "parent": parent,
                        "sort_order": sub_order,
                    },
                )
                counts["categories"] += 1
        for order, group in enumerate(data.get("beneficiaries", []), start=1):
            Beneficiary.objects.update_or_create(
                code=group["code"],
                defaults={
                    "name": group["name"],
                    "name_en": group.get("name_en", ""),
                    "sort_order": order,
                },
            )
            counts["beneficiaries"] += 1
    return counts
