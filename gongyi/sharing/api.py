"""API router of sharing (mounted in gongyi/api.py at /api/v1/share).

Thin: the same services and selectors as the pages. Sharing a public page is open to
everybody (throttled per caller, see `gongyi.sharing.throttle`); a project's share figures
are its organisers' only; a project's poster is public.
"""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Router, Schema

from gongyi.accounts.api_auth import public_caller
from gongyi.core.api_types import errors, file_answer
from gongyi.sharing import selectors, services
from gongyi.sharing.models import ShareLink
from gongyi.sharing.views import caller_key

router = Router()

Kind = Annotated[
    str,
    Path(
        pattern=r"^[a-z][a-z0-9_]{0,15}$",
        description='What is shared: "project" (and, once registered, "card", "snapshot").',
        example="project",
    ),
]
Key = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="Which one: for a project, its number.",
        example="P310101202611230001",
    ),
]
ProjectNumber = Annotated[
    str,
    Path(max_length=32, description="The project number.", example="P310101202611230001"),
]


class ShareOut(Schema):
    kind: str
    key: str
    code: str = Field(description="The short link's code.")
    short_url: str = Field(description="The short link to pass on (leads to the page).")
    page_url: str = Field(description="The shared page itself.")
    title: str
    description: str
    poster_url: str | None = Field(description="The poster or preview image, if any.")
    counted: bool = Field(
        description="False when the same caller shared this page moments ago: "
        "the link is the same, the share was not counted again."
    )


class ShareLinkFiguresOut(Schema):
    code: str
    kind: str
    kind_label: str
    key: str
    short_url: str
    created_at: datetime
    shares: int
    visits: int


class ProjectShareFiguresOut(Schema):
    project_number: str
    title: str
    shares: int = Field(description="Share button presses (throttled per caller).")
    visits: int = Field(description="Visits through the short links (people, not previews).")
    links: list[ShareLinkFiguresOut]


def _absolute(request: HttpRequest, path: str | None) -> str | None:
    return request.build_absolute_uri(path) if path else None


def link_figures(request: HttpRequest, link: ShareLink) -> dict:
    return {
        "code": link.code,
        "kind": link.kind,
        "kind_label": link.kind_label,
        "key": link.key,
        "short_url": _absolute(request, link.get_absolute_url()),
        "created_at": link.created_at,
        "shares": link.shares,
        "visits": link.visits,
    }


@router.post(
    "/{kind}/{key}",
    auth=None,
    response={200: ShareOut, **errors(404, 422)},
    summary="Share a public page: its short link (counts one share)",
    description="Anybody may share a public page. The same caller (account, else address) "
    "counts once per page in ten minutes; drafts and unknown pages answer 404.",
)
def share(request: HttpRequest, kind: Kind, key: Key):
    who = caller_key(request, public_caller(request))
    shared = services.share(kind=kind, key=key, who=who)
    target = shared.target
    return {
        "kind": target.kind,
        "key": target.key,
        "code": shared.link.code,
        "short_url": _absolute(request, shared.link.get_absolute_url()),
        "page_url": _absolute(request, target.path),
        "title": target.title,
        "description": target.description,
        "poster_url": _absolute(request, target.image_path),
        "counted": shared.counted,
    }


@router.get(
    "/projects/{number}/figures",
    response={200: ProjectShareFiguresOut, **errors(401, 403, 404, 422)},
    summary="A project's shares and visits (its organisers only)",
)
def project_figures(request: HttpRequest, number: ProjectNumber):
    project = selectors.figures_project(user=request.user, number=number)
    figures = selectors.project_figures(project)
    return {
        "project_number": project.number,
        "title": project.title,
        "shares": figures.shares,
        "visits": figures.visits,
        "links": [link_figures(request, link) for link in figures.links],
    }


@router.get(
    "/poster/project/{number}",
    auth=None,
    response={200: None, **errors(404, 422, 503)},
    openapi_extra=file_answer("image/png"),
    summary="A public project's share poster (PNG, 750×1000, Chinese)",
    description="Title, time, place, organiser and a QR code of the project's short link. "
    "Drafts and cancelled projects have none (404); 503 when the server has no Chinese font.",
)
def project_poster(request: HttpRequest, number: ProjectNumber):
    project = selectors.poster_project(number)
    body, digest = services.project_poster(project=project, absolute=request.build_absolute_uri)
    response = HttpResponse(body, content_type="image/png")
    response["ETag"] = f'"{digest}"'
    return response
