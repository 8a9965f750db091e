"""API router of snapshots (mounted in gongyi/api.py at /api/v1/snapshots).

Thin: the same selectors and services as the pages. The image files themselves are served
by the page views (`image_url`, `thumb_url`): public once approved, otherwise to the
uploader and the organiser only, with the session or the same bearer token.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.core.api_types import RowId, errors
from gongyi.projects.selectors import visible_project
from gongyi.snapshots import selectors, services
from gongyi.snapshots.models import Snapshot

router = Router()

ProjectNumber = Annotated[
    str,
    Path(
        max_length=32,
        description="The project number: P, the district code, the date and a sequence.",
        example="P310101202611230001",
    ),
]
SnapshotKey = Annotated[
    str,
    Path(
        min_length=12,
        max_length=12,
        pattern=r"^[A-Za-z0-9_-]{12}$",
        description="The snapshot's key (12 characters), as in its page address.",
    ),
]
StatusName = Literal["pending", "approved", "hidden"]


# --- schemas --------------------------------------------------------------------------------


class SnapshotOut(Schema):
    key: str
    status: StatusName
    status_label: str
    caption: str
    hidden_reason: str = Field(description="Why the organiser hid it (hidden ones only).")
    uploader: str = Field(description="The organisation, or the volunteer's masked name.")
    by_organiser: bool
    project_number: str
    project_title: str
    created_at: datetime
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    page_url: str = Field(description="The snapshot's page.")
    image_url: str = Field(description="The photo (JPEG, at most 1600 px, no EXIF).")
    thumb_url: str = Field(description="The thumbnail (JPEG, at most 400 px).")


class SnapshotPageOut(Schema):
    items: list[SnapshotOut]
    page: int
    has_next: bool


class SnapshotPageQuery(Schema):
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)


class SnapshotWallQuery(SnapshotPageQuery):
    city_id: RowId | None = Field(None, description="Only this city's projects.")


class SnapshotGalleryQuery(SnapshotPageQuery):
    status: StatusName | None = Field(None, description="Only photos in this status.")


class SnapshotHideIn(Schema):
    reason: str = Field("", max_length=services.REASON_MAX, description="Told to the uploader.")


def snapshot_out(snapshot: Snapshot) -> dict:
    return {
        "key": snapshot.key,
        "status": snapshot.status,
        "status_label": str(snapshot.get_status_display()),
        "caption": snapshot.caption,
        "hidden_reason": snapshot.hidden_reason,
        "uploader": snapshot.uploader_label,
        "by_organiser": snapshot.by_organiser,
        "project_number": snapshot.project.number,
        "project_title": snapshot.project.title,
        "created_at": snapshot.created_at,
        "width": snapshot.width,
        "height": snapshot.height,
        "thumb_width": snapshot.thumb_width,
        "thumb_height": snapshot.thumb_height,
        "page_url": snapshot.get_absolute_url(),
        "image_url": snapshot.image_url,
        "thumb_url": snapshot.thumb_url,
    }


def page_out(page: selectors.SnapshotPage) -> dict:
    return {
        "items": [snapshot_out(s) for s in page.items],
        "page": page.number,
        "has_next": page.has_next,
    }


# --- lists ----------------------------------------------------------------------------------


@router.get(
    "/wall",
    auth=None,
    response={200: SnapshotPageOut, **errors(422)},
    summary="The photo wall: the newest approved photos city-wide (public)",
    description="24 a page, newest first; cached for a few seconds.",
)
def wall(request: HttpRequest, query: Query[SnapshotWallQuery]):
    city = selectors.city_by_id(query.city_id) if query.city_id else None
    return page_out(selectors.wall(page=query.page, city=city))


@router.get(
    "/mine",
    response={200: SnapshotPageOut, **errors(401, 422)},
    summary="The photos I added, in every status",
)
def mine(request: HttpRequest, query: Query[SnapshotPageQuery]):
    return page_out(selectors.page_of(selectors.my_snapshots(user=request.user), query.page))


@router.get(
    "/projects/{number}",
    auth=None,
    response={200: SnapshotPageOut, **errors(404, 422)},
    summary="A project's approved photos (public)",
)
def project_snapshots(request: HttpRequest, number: ProjectNumber, query: Query[SnapshotPageQuery]):
    project = visible_project(user=public_caller(request), number=number)
    snapshots = selectors.project_gallery(user=public_caller(request), project=project)
    approved = snapshots.filter(status=Snapshot.Status.APPROVED)
    return page_out(selectors.page_of(approved, query.page))


@router.get(
    "/projects/{number}/all",
    response={200: SnapshotPageOut, **errors(401, 403, 404, 422)},
    summary="Every photo of a project, for moderation (its organiser)",
)
def project_all(request: HttpRequest, number: ProjectNumber, query: Query[SnapshotGalleryQuery]):
    project = visible_project(user=request.user, number=number)
    permissions.require(permissions.can_moderate_snapshots(request.user, project))
    snapshots = selectors.project_gallery(user=request.user, project=project, status=query.status)
    return page_out(selectors.page_of(snapshots, query.page))


# --- writes ---------------------------------------------------------------------------------


@router.post(
    "/projects/{number}",
    response={200: list[SnapshotOut], **errors(400, 401, 403, 404, 422)},
    summary="Add photos to a project (multipart: files, and captions in the same order)",
    description="The organiser's photos are approved at once; a volunteer who served in the "
    f"project adds photos that wait for the organiser. At most {services.MAX_PER_UPLOAD} "
    f"photos a time, {services.MAX_PER_PERSON} per person per project, each JPEG, PNG or WebP "
    "of at most 10 MB; they are re-encoded without EXIF (GPS). Anything refused: 400, nothing "
    "saved.",
)
def upload(
    request: HttpRequest,
    number: ProjectNumber,
    files: File[list[UploadedFile]],
    captions: Form[list[Annotated[str, Field(max_length=1000)]] | None] = None,
):
    project = visible_project(user=request.user, number=number)
    made = services.snapshot_upload(
        actor=request.user, project=project, photos=files, captions=captions or []
    )
    return [snapshot_out(s) for s in made]


@router.get(
    "/{key}",
    auth=None,
    response={200: SnapshotOut, **errors(404, 422)},
    summary="One snapshot (public once approved; before that its uploader and organiser)",
)
def get_snapshot(request: HttpRequest, key: SnapshotKey):
    return snapshot_out(selectors.visible_snapshot(user=public_caller(request), key=key))


@router.post(
    "/{key}/approve",
    response={200: SnapshotOut, **errors(401, 403, 404, 422)},
    summary="Approve a photo: shown to everybody (the project's organiser)",
)
def approve(request: HttpRequest, key: SnapshotKey):
    snapshot = selectors.snapshot_by_key(key)
    return snapshot_out(services.snapshot_approve(actor=request.user, snapshot=snapshot))


@router.post(
    "/{key}/hide",
    response={200: SnapshotOut, **errors(400, 401, 403, 404, 422)},
    summary="Hide a photo from the public, with an optional reason (the project's organiser)",
)
def hide(request: HttpRequest, key: SnapshotKey, data: SnapshotHideIn):
    snapshot = selectors.snapshot_by_key(key)
    hidden = services.snapshot_hide(actor=request.user, snapshot=snapshot, reason=data.reason)
    return snapshot_out(hidden)


@router.delete(
    "/{key}",
    response={204: None, **errors(401, 403, 404, 422)},
    summary="Delete my own photo",
)
def delete(request: HttpRequest, key: SnapshotKey):
    services.snapshot_delete(actor=request.user, snapshot=selectors.snapshot_by_key(key))
    return Status(204, None)
