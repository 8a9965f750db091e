"""API router of this app (mounted in gongyi/api.py at /api/v1/projects).

Thin: parse, find the rows (404 for unknown ids), call the same services and selectors as the
pages. Refusals come back as JSON `{"code", "message"}` through the handlers in gongyi/api.py.
"""

import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.core.api_types import RowId, errors
from gongyi.core.errors import ServiceError
from gongyi.orgs.models import Organisation
from gongyi.projects import selectors, services
from gongyi.projects.models import (
    Beneficiary,
    Category,
    Project,
    ServicePoint,
    Shift,
)
from gongyi.regions.models import Region

router = Router()

ITEMS_PER_PAGE = 100
ProjectNumber = Annotated[
    str,
    Path(
        description="The project number: P, the district code, the date and a sequence.",
        example="P310101202611230001",
    ),
]

# --- schemas --------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    label: str
    parent_id: int | None


class CategoryTreeOut(CategoryOut):
    children: list[CategoryOut]


class BeneficiaryOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    label: str


class ProjectSummaryOut(Schema):
    number: str
    url: str
    title: str
    summary: str
    status: str
    public_status: str
    public_status_label: str
    category_id: int
    category: str
    subcategory_id: int | None
    subcategory: str | None
    mode: str
    district_id: int
    district: str
    organisation_id: int
    organisation: str
    recruit_start: datetime.datetime
    recruit_end: datetime.datetime
    service_start: datetime.date
    service_end: datetime.date
    published_at: datetime.datetime | None
    next_start: datetime.datetime | None = None
    distance_km: float | None = None


class ProjectOut(ProjectSummaryOut):
    description: str
    beneficiary_ids: list[int]
    min_age: int | None
    max_age: int | None
    real_name_only: bool
    skills: list[str]
    team_ids: list[int]
    review_required: bool
    allocation: str
    cancel_hours_before: int
    contact_name: str = Field(description="Masked unless the caller organises the project.")
    contact_phone: str = Field(description="Masked unless the caller organises the project.")
    cover_url: str | None
    point_count: int
    shift_count: int


class ProjectPage(Schema):
    items: list[ProjectSummaryOut]
    count: int
    page: int
    pages: int


class ProjectFiltersIn(Schema):
    district: RowId | None = None
    category: RowId | None = None
    beneficiary: RowId | None = None
    mode: Project.Mode | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    weekdays: str = Field(
        "", pattern=r"^([1-7](,[1-7]){0,6})?$", description="ISO weekdays, e.g. 6,7"
    )
    time_of_day: Literal["morning", "afternoon", "evening"] | None = None
    places_left: bool = False
    q: str = Field("", max_length=50)
    sort: Literal["newest", "soon", "nearest"] = "newest"
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    page: int = Field(1, ge=1, le=100000)


class ProjectPatch(Schema):
    title: str | None = Field(None, max_length=100)
    summary: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20000)
    category_id: RowId | None = None
    subcategory_id: RowId | None = None
    beneficiary_ids: list[RowId] | None = Field(None, max_length=20)
    district_id: RowId | None = None
    mode: Project.Mode | None = None
    recruit_start: datetime.datetime | None = None
    recruit_end: datetime.datetime | None = None
    service_start: datetime.date | None = None
    service_end: datetime.date | None = None
    min_age: int | None = Field(None, ge=0, le=200)
    max_age: int | None = Field(None, ge=0, le=200)
    real_name_only: bool | None = None
    skills: list[str] | None = Field(None, max_length=20)
    team_ids: list[RowId] | None = Field(None, max_length=50)
    review_required: bool | None = None
    allocation: Project.Allocation | None = None
    cancel_hours_before: int | None = Field(None, ge=0, le=720)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=20)


class ProjectIn(ProjectPatch):
    organisation_id: RowId
    title: str = Field(max_length=100)
    category_id: RowId
    district_id: RowId
    recruit_start: datetime.datetime
    recruit_end: datetime.datetime
    service_start: datetime.date
    service_end: datetime.date
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=20)


class PointIn(Schema):
    name: str = Field(max_length=100)
    address: str = Field("", max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geofence_metres: int = Field(500, ge=20, le=10000)


class PointPatch(Schema):
    name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=200)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    geofence_metres: int | None = Field(None, ge=20, le=10000)


class PointsImportIn(Schema):
    points: list[PointIn] = Field(max_length=services.MAX_POINTS_PER_IMPORT)


class PointOut(Schema):
    id: int
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    geofence_metres: int


class ShiftIn(Schema):
    point_id: RowId
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = Field(None, ge=1, le=services.MAX_CAPACITY)


class ShiftPatch(Schema):
    point_id: RowId | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    capacity: int | None = Field(
        None, ge=1, le=services.MAX_CAPACITY, description="null: unlimited"
    )


class BulkShiftsIn(Schema):
    point_id: RowId
    weekdays: list[int] = Field(min_length=1, max_length=7, description="ISO weekdays, 1 = Monday")
    start_time: datetime.time
    end_time: datetime.time
    date_from: datetime.date
    date_to: datetime.date
    capacity: int | None = Field(None, ge=1, le=services.MAX_CAPACITY)


class ShiftOut(Schema):
    id: int
    project: str
    point_id: int
    point: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None
    taken: int
    places_left: int | None


class Count(Schema):
    count: int


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100000)
    upcoming: bool = False


# --- helpers --------------------------------------------------------------------------------


def category_out(category: Category) -> dict:
    return {
        "id": category.pk,
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "label": category.label,
        "parent_id": category.parent_id,
    }


def summary_out(project: Project) -> dict:
    status = project.public_status()
    return {
        "number": project.number,
        "url": project.get_absolute_url(),
        "title": project.title,
        "summary": project.summary,
        "status": project.status,
        "public_status": status,
        "public_status_label": str(project.public_status_label),
        "category_id": project.category_id,
        "category": project.category.label,
        "subcategory_id": project.subcategory_id,
        "subcategory": project.subcategory.label if project.subcategory else None,
        "mode": project.mode,
        "district_id": project.district_id,
        "district": project.district.name,
        "organisation_id": project.organisation_id,
        "organisation": project.organisation.name,
        "recruit_start": project.recruit_start,
        "recruit_end": project.recruit_end,
        "service_start": project.service_start,
        "service_end": project.service_end,
        "published_at": project.published_at,
        "next_start": project.next_start,
        "distance_km": selectors.distance_km(project),
    }


def project_out(project: Project, *, private: bool) -> dict:
    """The project as JSON; its contact masked unless `private`."""
    return {
        **summary_out(project),
        "description": project.description,
        "beneficiary_ids": list(project.beneficiaries.values_list("pk", flat=True)),
        "min_age": project.min_age,
        "max_age": project.max_age,
        "real_name_only": project.real_name_only,
        "skills": project.skills or [],
        "team_ids": list(project.teams_only.values_list("pk", flat=True)),
        "review_required": project.review_required,
        "allocation": project.allocation,
        "cancel_hours_before": project.cancel_hours_before,
        "contact_name": project.contact_name if private else project.masked_contact_name,
        "contact_phone": project.contact_phone if private else project.masked_contact_phone,
        "cover_url": project.cover.url if project.cover else None,
        "point_count": project.points.count(),
        "shift_count": project.shifts.count(),
    }


def point_out(point: ServicePoint) -> dict:
    return {
        "id": point.pk,
        "name": point.name,
        "address": point.address,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "geofence_metres": point.geofence_metres,
    }


def shift_out(shift: Shift, number: str) -> dict:
    return {
        "id": shift.pk,
        "project": number,
        "point_id": shift.point_id,
        "point": shift.point.name,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "capacity": shift.capacity,
        "taken": shift.taken,
        "places_left": shift.places_left,
    }


def _row(model, pk: int | None, field: str):
    """The row with this id, or a clear error naming the field."""
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise ServiceError("unknown", _("No such item."), field=field)
    return row


def _rows(model, pks: list[int], field: str) -> list:
    rows = list(model.objects.filter(pk__in=set(pks)))
    if len(rows) != len(set(pks)):
        raise ServiceError("unknown", _("No such item."), field=field)
    return rows


def _project_fields(data: dict) -> dict:
    """API field names (category_id, beneficiary_ids…) to the services' ones."""
    fields = dict(data)
    for api_name, name, model in (
        ("category_id", "category", Category),
        ("subcategory_id", "subcategory", Category),
        ("district_id", "district", Region),
    ):
        if api_name in fields:
            fields[name] = _row(model, fields.pop(api_name), name)
    if "beneficiary_ids" in fields:
        fields["beneficiaries"] = _rows(
            Beneficiary, fields.pop("beneficiary_ids") or [], "beneficiaries"
        )
    if "team_ids" in fields:
        fields["teams_only"] = _rows(Organisation, fields.pop("team_ids") or [], "teams_only")
    return fields


def _managed(request, number: ProjectNumber) -> Project:
    project = selectors.project_by_number(number)
    permissions.require(permissions.can_manage_project(request.user, project))
    return project


def _page(items, page: int) -> list:
    start = (page - 1) * ITEMS_PER_PAGE
    return list(items[start : start + ITEMS_PER_PAGE])


# --- taxonomy -------------------------------------------------------------------------------


@router.get("/categories", auth=None, response=list[CategoryTreeOut], summary="Service categories")
def list_categories(request):
    return [
        {**category_out(main), "children": [category_out(sub) for sub in main.subs]}
        for main in selectors.categories_tree()
    ]


@router.get(
    "/beneficiaries", auth=None, response=list[BeneficiaryOut], summary="Beneficiary groups"
)
def list_beneficiaries(request):
    return [
        {"id": b.pk, "code": b.code, "name": b.name, "name_en": b.name_en, "label": b.label}
        for b in selectors.beneficiaries()
    ]


# --- projects -------------------------------------------------------------------------------


@router.get(
    "/", auth=None, response={200: ProjectPage, **errors(422)}, summary="Find published projects"
)
def list_projects(request, filters: Query[ProjectFiltersIn]):
    category = Category.objects.filter(pk=filters.category).first() if filters.category else None
    if filters.category and category is None:
        return {"items": [], "count": 0, "page": filters.page, "pages": 1}
    projects = selectors.public_projects(
        selectors.ProjectFilters(
            district_id=filters.district,
            category=category,
            beneficiary_id=filters.beneficiary,
            mode=filters.mode or "",
            date_from=filters.date_from,
            date_to=filters.date_to,
            weekdays=[int(day) for day in filters.weekdays.split(",") if day],
            time_of_day=filters.time_of_day or "",
            places_left=filters.places_left,
            q=filters.q.strip(),
            sort=filters.sort,
            lat=filters.lat,
            lng=filters.lng,
        )
    )
    count = projects.count()
    size = selectors.PAGE_SIZE
    start = (filters.page - 1) * size
    return {
        "items": [summary_out(p) for p in projects[start : start + size]],
        "count": count,
        "page": filters.page,
        "pages": max(1, -(-count // size)),
    }


@router.post(
    "/", response={201: ProjectOut, **errors(400, 401, 403, 422)}, summary="Create a draft project"
)
def create_project(request, payload: ProjectIn):
    data = payload.dict(exclude_unset=True)
    org = _row(Organisation, data.pop("organisation_id"), "organisation")
    project = services.project_create(actor=request.user, org=org, **_project_fields(data))
    return Status(201, project_out(selectors.project_by_number(project.number), private=True))


@router.get(
    "/mine", response={200: list[ProjectSummaryOut], **errors(401)}, summary="Projects I run"
)
def my_projects(request):
    return [
        summary_out(p)
        for p in selectors.my_projects(user=request.user).select_related("subcategory")[:500]
    ]


@router.get(
    "/{number}", auth=None, response={200: ProjectOut, **errors(404)}, summary="One project"
)
def get_project(request, number: ProjectNumber):
    viewer = public_caller(request)
    project = selectors.visible_project(user=viewer, number=number)
    project.next_start = (
        project.shifts.filter(starts_at__gte=timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return project_out(project, private=permissions.can_see_project_private(viewer, project))


@router.patch(
    "/{number}",
    response={200: ProjectOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit a project",
)
def edit_project(request, number: ProjectNumber, payload: ProjectPatch):
    project = _managed(request, number)
    changes = _project_fields(payload.dict(exclude_unset=True))
    services.project_update(actor=request.user, project=project, **changes)
    return project_out(selectors.project_by_number(number), private=True)


@router.post(
    "/{number}/cover",
    response={200: ProjectOut, **errors(400, 401, 403, 404, 422)},
    summary="Upload the cover",
)
def upload_cover(request, number: ProjectNumber, cover: File[UploadedFile]):
    services.project_update(actor=request.user, project=_managed(request, number), cover=cover)
    return project_out(selectors.project_by_number(number), private=True)


@router.post(
    "/{number}/publish",
    response={200: ProjectOut, **errors(400, 401, 403, 404)},
    summary="Publish a draft",
)
def publish_project(request, number: ProjectNumber):
    services.project_publish(actor=request.user, project=_managed(request, number))
    return project_out(selectors.project_by_number(number), private=True)


@router.post(
    "/{number}/close",
    response={200: ProjectOut, **errors(400, 401, 403, 404)},
    summary="Conclude (已结项)",
)
def close_project(request, number: ProjectNumber):
    services.project_close(actor=request.user, project=_managed(request, number))
    return project_out(selectors.project_by_number(number), private=True)


# --- service points -------------------------------------------------------------------------


@router.get("/{number}/points", auth=None, response={200: list[PointOut], **errors(404, 422)})
def list_points(request, number: ProjectNumber, query: Query[PageQuery]):
    project = selectors.visible_project(user=public_caller(request), number=number)
    return [point_out(p) for p in _page(selectors.points(project), query.page)]


@router.post(
    "/{number}/points",
    response={201: PointOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a service point",
)
def add_point(request, number: ProjectNumber, payload: PointIn):
    point = services.point_create(
        actor=request.user, project=_managed(request, number), **payload.dict()
    )
    return Status(201, point_out(point))


@router.post(
    "/{number}/points/import",
    response={201: Count, **errors(400, 401, 403, 404, 422)},
    summary="Add many points",
)
def import_points(request, number: ProjectNumber, payload: PointsImportIn):
    rows = [point.dict() for point in payload.points]
    count = services.points_import(actor=request.user, project=_managed(request, number), rows=rows)
    return Status(201, {"count": count})


@router.patch(
    "/points/{point_id}",
    response={200: PointOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit a service point",
)
def edit_point(request, point_id: int, payload: PointPatch):
    point = selectors.point_of(point_id)
    permissions.require(permissions.can_manage_project(request.user, point.project))
    point = services.point_update(
        actor=request.user, point=point, **payload.dict(exclude_unset=True)
    )
    return point_out(point)


@router.delete(
    "/points/{point_id}",
    response={204: None, **errors(400, 401, 403, 404, 422)},
    summary="Remove a service point",
)
def delete_point(request, point_id: int):
    point = selectors.point_of(point_id)
    permissions.require(permissions.can_manage_project(request.user, point.project))
    services.point_delete(actor=request.user, point=point)
    return Status(204, None)


# --- shifts ---------------------------------------------------------------------------------


@router.get("/{number}/shifts", auth=None, response={200: list[ShiftOut], **errors(404, 422)})
def list_shifts(request, number: ProjectNumber, query: Query[PageQuery]):
    project = selectors.visible_project(user=public_caller(request), number=number)
    shifts = selectors.all_shifts(project)
    if query.upcoming:
        shifts = shifts.filter(starts_at__gte=timezone.now())
    return [shift_out(s, number) for s in _page(shifts, query.page)]


def _point(point_id: int) -> ServicePoint | None:
    """The point with this id, or None: the services refuse any that is not the project's."""
    return ServicePoint.objects.filter(pk=point_id).first()


@router.post(
    "/{number}/shifts",
    response={201: ShiftOut, **errors(400, 401, 403, 404, 422)},
    summary="Add a shift",
)
def add_shift(request, number: ProjectNumber, payload: ShiftIn):
    project = _managed(request, number)
    data = payload.dict()
    point = _point(data.pop("point_id"))
    shift = services.shift_create(actor=request.user, project=project, point=point, **data)
    return Status(201, shift_out(shift, number))


@router.post(
    "/{number}/shifts/bulk",
    response={201: list[ShiftOut], **errors(400, 401, 403, 404, 422)},
    summary="Add repeating shifts",
)
def add_repeating_shifts(request, number: ProjectNumber, payload: BulkShiftsIn):
    project = _managed(request, number)
    data = payload.dict()
    point = _point(data.pop("point_id"))
    shifts = services.shifts_create_repeating(
        actor=request.user, project=project, point=point, **data
    )
    return Status(201, [shift_out(s, number) for s in shifts])


@router.patch(
    "/shifts/{shift_id}",
    response={200: ShiftOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit a shift",
)
def edit_shift(request, shift_id: int, payload: ShiftPatch):
    shift = selectors.shift_of(shift_id)
    project = shift.project
    permissions.require(permissions.can_manage_project(request.user, project))
    changes = payload.dict(exclude_unset=True)
    point_id = changes.pop("point_id", None)
    if point_id is not None:  # null keeps the shift's point
        changes["point"] = _point(point_id)
    shift = services.shift_update(actor=request.user, shift=shift, **changes)
    return shift_out(shift, project.number)


@router.delete(
    "/shifts/{shift_id}",
    response={204: None, **errors(400, 401, 403, 404, 422)},
    summary="Remove a shift",
)
def delete_shift(request, shift_id: int):
    shift = selectors.shift_of(shift_id)
    permissions.require(permissions.can_manage_project(request.user, shift.project))
    services.shift_delete(actor=request.user, shift=shift)
    return Status(204, None)
