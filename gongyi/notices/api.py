"""API router of the inbox (mounted in gongyi/api.py at /api/v1/notices)."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from gongyi.core.api_types import RowId, errors
from gongyi.notices import selectors, services
from gongyi.notices.models import Notice

router = Router()


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class InboxOut(Schema):
    unread: int
    count: int
    items: list[NoticeOut]


class InboxQuery(Schema):
    unread_only: bool = False
    offset: int = Field(0, ge=0, le=1_000_000)
    limit: int = Field(20, ge=1, le=100)


class MarkedOut(Schema):
    marked: int


@router.get("/", response={200: InboxOut, **errors(401, 422)}, summary="My inbox")
def inbox(request: HttpRequest, query: Query[InboxQuery]):
    notices = selectors.inbox(user=request.user)
    if query.unread_only:
        notices = notices.filter(read_at__isnull=True)
    return {
        "unread": selectors.unread_count(user=request.user),
        "count": notices.count(),
        "items": list(notices[query.offset : query.offset + query.limit]),
    }


@router.post(
    "/{notice_id}/read",
    response={200: NoticeOut, **errors(401, 403, 404, 422)},
    summary="Mark read",
)
def read(request: HttpRequest, notice_id: RowId):
    notice = get_object_or_404(Notice, pk=notice_id)
    return services.mark_read(user=request.user, notice=notice)


@router.post("/read-all", response={200: MarkedOut, **errors(401, 403)}, summary="Mark all read")
def read_all(request: HttpRequest):
    return {"marked": services.mark_all_read(user=request.user)}
