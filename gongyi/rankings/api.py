"""API router of rankings (mounted in gongyi/api.py at /api/v1/rankings).

Live top-100s (from the hour tallies, seconds behind the ledger), published lists (frozen),
publishing (city admin) and the caller's consent to appear among volunteers.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gongyi.core.api_types import RowId, errors
from gongyi.rankings import selectors, services
from gongyi.rankings.models import PublishedRanking
from gongyi.signups.services import volunteer_of
from gongyi.stats.models import RankingConsent

router = Router()
SubjectName = Literal["bases", "communities", "organisations", "teams", "volunteers"]


class RankingParams(Schema):
    subject: SubjectName = "organisations"
    region: str = Field("", max_length=12, description="City or district code; empty: the city")
    period: str = Field("all", max_length=7, description="all, 2026 or 2026-11")


class EntryOut(Schema):
    rank: int
    subject_id: int
    name: str = Field(description="Volunteers' names are masked")
    district: str
    minutes: int
    hours: float


class RankingOut(Schema):
    subject: str
    region_code: str
    region_name: str
    period: str
    computed_at: datetime | None
    entries: list[EntryOut]


class PublishedSummaryOut(Schema):
    id: int
    title: str
    subject: str
    region_code: str
    period: str
    as_of: date
    published_at: datetime


class PublishedOut(PublishedSummaryOut):
    entries: list[EntryOut]


class PublishIn(RankingParams):
    as_of: date
    title: str = Field("", max_length=100)


class ConsentIn(Schema):
    given: bool


class ConsentOut(Schema):
    given: bool


def _period(year: int, month: int) -> str:
    return selectors.Query("", None, year, month).period


def _summary(p: PublishedRanking) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "subject": p.subject,
        "region_code": p.region.code,
        "period": _period(p.year, p.month),
        "as_of": p.as_of,
        "published_at": p.published_at,
    }


def _query(params: RankingParams) -> selectors.Query:
    return selectors.parse_query(
        subject=params.subject, region_code=params.region, period=params.period
    )


@router.get(
    "",
    auth=None,
    response={200: RankingOut, **errors(400, 422)},
    summary="A live top-100 ranking by confirmed service hours",
    description="Ties share a rank (and a tie at place 100 is kept). Volunteers appear only "
    "if they opted in. Hours count in the district where the service was done.",
)
def ranking(request: HttpRequest, params: Query[RankingParams]):
    query = _query(params)
    found = selectors.live_ranking(query)
    return {
        "subject": query.subject,
        "region_code": query.region.code,
        "region_name": query.region.name,
        "period": query.period,
        "computed_at": found.computed_at,
        "entries": found.entries,
    }


@router.get(
    "/published",
    auth=None,
    response={200: list[PublishedSummaryOut]},
    summary="Published (frozen, dated) rankings, newest first",
)
def published_list(request: HttpRequest):
    return [_summary(p) for p in selectors.published_lists()[:200]]


@router.get(
    "/published/{published_id}",
    auth=None,
    response={200: PublishedOut, **errors(404, 422)},
    summary="One published ranking with its entries",
)
def published_detail(request: HttpRequest, published_id: RowId):
    found = get_object_or_404(PublishedRanking.objects.select_related("region"), pk=published_id)
    return {**_summary(found), "entries": found.entries}


@router.post(
    "/published",
    response={201: PublishedOut, **errors(400, 401, 403, 422)},
    summary="Publish a ranking as of a date (city admin)",
    description="Summed from the records served up to `as_of`, then frozen.",
)
def publish(request: HttpRequest, data: PublishIn):
    found = services.publish_ranking(
        actor=request.user, query=_query(data), as_of=data.as_of, title=data.title
    )
    return Status(201, {**_summary(found), "entries": found.entries})


@router.get(
    "/consent",
    response={200: ConsentOut, **errors(400, 401)},
    summary="Whether I appear in the volunteer rankings",
)
def get_consent(request: HttpRequest):
    volunteer = volunteer_of(request.user)
    return {"given": RankingConsent.objects.filter(volunteer=volunteer).exists()}


@router.put(
    "/consent",
    response={200: ConsentOut, **errors(400, 401, 422)},
    summary="Appear in the volunteer rankings (or stop)",
)
def put_consent(request: HttpRequest, data: ConsentIn):
    return {"given": services.set_consent(actor=request.user, given=data.given)}
