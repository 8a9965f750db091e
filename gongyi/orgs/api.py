"""API router of this app (mounted in gongyi/api.py at /api/v1/orgs).

Thin: parse, find the rows (404 for unknown ids), call the same services as the pages.
Refusals come back as JSON `{"code", "message"}` through the handlers in gongyi/api.py.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gongyi import permissions
from gongyi.accounts.api_auth import public_caller
from gongyi.core.api_types import RowId, errors
from gongyi.core.errors import ServiceError
from gongyi.orgs import selectors, services
from gongyi.orgs.models import Membership, Organisation
from gongyi.regions.models import Region

router = Router()

# --- schemas --------------------------------------------------------------------------------


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    can_publish: bool
    credit_code: str | None
    district_id: int
    district_name: str
    community_id: int | None
    community_name: str | None
    address: str
    introduction: str
    logo_url: str | None
    contact_name: str = Field(description="Masked unless the caller may see private data.")
    contact_phone: str = Field(description="Masked unless the caller may see private data.")
    rejection_reason: str | None = Field(None, description="Only for members and reviewers.")


class OrgPage(Schema):
    items: list[OrgOut]
    count: int
    page: int
    pages: int


class OrgFilters(Schema):
    district: RowId | None = None
    kind: Organisation.Kind | None = None
    q: str = Field("", max_length=100)
    page: int = Field(1, ge=1, le=100000)


class OrgIn(Schema):
    name: str = Field(max_length=100)
    kind: Organisation.Kind
    credit_code: str | None = Field(None, max_length=30)
    district_id: RowId
    community_id: RowId | None = None
    address: str = Field(max_length=200)
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=20)
    introduction: str = Field("", max_length=2000)


class OrgPatch(Schema):
    name: str | None = Field(None, max_length=100)
    kind: Organisation.Kind | None = None
    credit_code: str | None = Field(None, max_length=30)
    district_id: RowId | None = None
    community_id: RowId | None = None
    address: str | None = Field(None, max_length=200)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=20)
    introduction: str | None = Field(None, max_length=2000)


class Decision(Schema):
    decision: str = Field(pattern="^(approve|reject)$")
    reason: str = Field("", max_length=1000)


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    role: str
    role_label: str
    status: str
    status_label: str
    message: str
    reason: str
    created_at: datetime


class MemberOut(Schema):
    id: int
    name: str
    phone: str
    role: str
    status: str
    message: str


class InviteIn(Schema):
    phone: str = Field(max_length=20)
    role: Membership.Role = Membership.Role.MEMBER


class JoinIn(Schema):
    message: str = Field("", max_length=200)


class InvitationAnswerIn(Schema):
    accept: bool


class RoleIn(Schema):
    role: Membership.Role


# --- helpers --------------------------------------------------------------------------------


def org_out(org: Organisation, *, private: bool) -> dict:
    """The organisation as JSON; contact details masked unless `private`."""
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "status": org.status,
        "status_label": str(org.get_status_display()),
        "can_publish": org.can_publish,
        "credit_code": org.credit_code,
        "district_id": org.district_id,
        "district_name": org.district.name,
        "community_id": org.community_id,
        "community_name": org.community.name if org.community else None,
        "address": org.address,
        "introduction": org.introduction,
        "logo_url": org.logo.url if org.logo else None,
        "contact_name": org.contact_name if private else org.masked_contact_name,
        "contact_phone": org.contact_phone if private else org.masked_contact_phone,
        "rejection_reason": org.rejection_reason if private else None,
    }


def membership_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "organisation_id": m.organisation_id,
        "organisation_name": m.organisation.name,
        "role": m.role,
        "role_label": str(m.get_role_display()),
        "status": m.status,
        "status_label": str(m.get_status_display()),
        "message": m.message,
        "reason": m.reason,
        "created_at": m.created_at,
    }


def _region(pk: int | None, field: str) -> Region | None:
    if pk is None:
        return None
    region = Region.objects.filter(pk=pk).first()
    if region is None:
        raise ServiceError("region_unknown", _("No such region."), field=field)
    return region


def _org_fields(data: dict) -> dict:
    """API field names (district_id, community_id) to the services' ones."""
    fields = dict(data)
    if "district_id" in fields:
        fields["district"] = _region(fields.pop("district_id"), "district")
    if "community_id" in fields:
        fields["community"] = _region(fields.pop("community_id"), "community")
    return fields


def _private_out(org: Organisation) -> dict:
    """After a write by someone allowed to make it: the admin or reviewer sees it all."""
    return org_out(_org(org.pk), private=True)


def _org(pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("district", "community"), pk=pk)


# --- organisations --------------------------------------------------------------------------


@router.get(
    "/", auth=None, response={200: OrgPage, **errors(422)}, summary="Verified organisations"
)
def list_orgs(request, filters: Query[OrgFilters]):
    orgs = selectors.public_orgs(
        district_id=filters.district, kind=filters.kind or "", q=filters.q.strip()
    )
    count = orgs.count()
    size = selectors.PAGE_SIZE
    start = (filters.page - 1) * size
    return {
        # The public list is masked for everybody: one permission check per row would cost
        # queries per row; the detail endpoint shows more to those allowed.
        "items": [org_out(org, private=False) for org in orgs[start : start + size]],
        "count": count,
        "page": filters.page,
        "pages": max(1, -(-count // size)),
    }


@router.post(
    "/",
    response={201: OrgOut, **errors(400, 401, 403, 422)},
    summary="Register an organisation",
)
def register_org(request, payload: OrgIn):
    org = services.org_register(actor=request.user, **_org_fields(payload.dict()))
    return Status(201, _private_out(org))


@router.get(
    "/review-queue",
    response={200: list[OrgOut], **errors(401, 403)},
    summary="Pending, to review",
)
def review_queue(request):
    user = request.user
    permissions.require(permissions.is_district_admin(user) or permissions.is_city_admin(user))
    # The queue holds only organisations the user reviews, so their details are theirs to see.
    return [org_out(org, private=True) for org in selectors.review_queue(user=user)[:200]]


@router.get("/mine", response={200: list[MembershipOut], **errors(401)}, summary="My memberships")
def my_memberships(request):
    return [membership_out(m) for m in selectors.my_memberships(user=request.user)]


@router.get("/{org_id}", auth=None, response={200: OrgOut, **errors(404, 422)})
def get_org(request, org_id: RowId):
    viewer = public_caller(request)
    org = selectors.visible_org(user=viewer, pk=org_id)
    return org_out(org, private=permissions.can_see_org_private(viewer, org))


@router.patch(
    "/{org_id}",
    response={200: OrgOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit (resubmits)",
)
def edit_org(request, org_id: RowId, payload: OrgPatch):
    org = _org(org_id)
    permissions.require(permissions.can_manage_org(request.user, org))
    changes = _org_fields(payload.dict(exclude_unset=True))
    org = services.org_update(actor=request.user, org=org, **changes)
    return _private_out(org)


@router.post(
    "/{org_id}/logo",
    response={200: OrgOut, **errors(400, 401, 403, 404, 422)},
    summary="Upload the logo",
)
def upload_logo(request, org_id: RowId, logo: File[UploadedFile]):
    org = _org(org_id)
    permissions.require(permissions.can_manage_org(request.user, org))
    org = services.org_update(actor=request.user, org=org, logo=logo)
    return _private_out(org)


@router.post(
    "/{org_id}/review",
    response={200: OrgOut, **errors(400, 401, 403, 404, 422)},
    summary="Approve or reject",
)
def review_org(request, org_id: RowId, payload: Decision):
    org = _org(org_id)
    permissions.require(permissions.can_review_org(request.user, org))
    org = services.org_review(
        actor=request.user,
        org=org,
        approve=payload.decision == "approve",
        reason=payload.reason,
    )
    return _private_out(org)


# --- members --------------------------------------------------------------------------------


@router.get("/{org_id}/members", response={200: list[MemberOut], **errors(401, 403, 404, 422)})
def list_members(request, org_id: RowId):
    org = _org(org_id)
    user = request.user
    permissions.require(permissions.can_see_org_members(user, org))
    full_phones = permissions.can_see_member_phones(user, org)
    groups = selectors.org_memberships(org=org)
    if not permissions.can_manage_org(user, org):
        groups = {"active": groups["active"]}  # pending people are the admins' business
    return [
        {
            "id": m.pk,
            "name": selectors.member_label(m),
            "phone": m.user.phone if full_phones else m.user.masked_phone,
            "role": m.role,
            "status": m.status,
            "message": m.message if full_phones else "",
        }
        for rows in groups.values()
        for m in rows
    ]


@router.post(
    "/{org_id}/members",
    response={201: MembershipOut, **errors(400, 401, 403, 404, 422)},
    summary="Invite",
)
def invite(request, org_id: RowId, payload: InviteIn):
    org = _org(org_id)
    permissions.require(permissions.can_manage_org(request.user, org))
    membership = services.membership_invite(
        actor=request.user, org=org, phone=payload.phone, role=payload.role
    )
    return Status(201, membership_out(membership))


@router.post(
    "/{org_id}/join",
    response={201: MembershipOut, **errors(400, 401, 403, 404, 422)},
    summary="Ask to join",
)
def join(request, org_id: RowId, payload: JoinIn):
    org = selectors.visible_org(user=request.user, pk=org_id)
    membership = services.membership_request(actor=request.user, org=org, message=payload.message)
    return Status(201, membership_out(membership))


@router.post(
    "/{org_id}/leave",
    response={200: MembershipOut, **errors(400, 401, 403, 404, 422)},
    summary="Leave",
)
def leave(request, org_id: RowId):
    membership = services.membership_leave(actor=request.user, org=_org(org_id))
    return membership_out(membership)


@router.post(
    "/memberships/{membership_id}/answer",
    response={200: MembershipOut, **errors(400, 401, 403, 404, 422)},
)
def answer_invitation(request, membership_id: RowId, payload: InvitationAnswerIn):
    membership = selectors.get_membership(membership_id)
    permissions.require(membership.user_id == request.user.pk)
    membership = services.membership_answer_invitation(
        actor=request.user, membership=membership, accept=payload.accept
    )
    return membership_out(membership)


def _managed(request, membership_id: int) -> Membership:
    membership = selectors.get_membership(membership_id)
    permissions.require(permissions.can_decide_membership(request.user, membership))
    return membership


@router.post(
    "/memberships/{membership_id}/decide",
    response={200: MembershipOut, **errors(400, 401, 403, 404, 422)},
)
def decide_request(request, membership_id: RowId, payload: Decision):
    membership = services.membership_decide(
        actor=request.user,
        membership=_managed(request, membership_id),
        approve=payload.decision == "approve",
        reason=payload.reason,
    )
    return membership_out(membership)


@router.post(
    "/memberships/{membership_id}/role",
    response={200: MembershipOut, **errors(400, 401, 403, 404, 422)},
)
def change_role(request, membership_id: RowId, payload: RoleIn):
    membership = services.membership_change_role(
        actor=request.user, membership=_managed(request, membership_id), role=payload.role
    )
    return membership_out(membership)


@router.post(
    "/memberships/{membership_id}/remove",
    response={200: MembershipOut, **errors(400, 401, 403, 404, 422)},
)
def remove_member(request, membership_id: RowId):
    membership = services.membership_remove(
        actor=request.user, membership=_managed(request, membership_id)
    )
    return membership_out(membership)
