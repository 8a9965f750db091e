"""Writes of the orgs app: registration, verification, edits and memberships.

Every function is keyword-only, checks the actor's right through `gongyi.permissions`,
runs in one transaction and leaves an audit entry. Refusals are `ServiceError`s
(`NotAllowed` for a missing role) with a message in the user's language.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi import permissions
from gongyi.accounts.models import User
from gongyi.core.audit import audit_log
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.orgs import selectors, validators
from gongyi.orgs.models import Membership, Organisation

EDITABLE_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "district",
    "community",
    "address",
    "contact_name",
    "contact_phone",
    "introduction",
)
# Changing who the organisation is sends a verified organisation back for review.
IDENTITY_FIELDS = ("name", "kind", "credit_code", "district", "community")
TEXT_LIMITS = {"name": 100, "address": 200, "contact_name": 50, "introduction": 2000}


def _refuse(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed("forbidden", _("You do not have permission to do this."))


def _required_text(value: str | None, field: str) -> str:
    value = (value or "").strip()
    if not value and field != "introduction":
        raise ServiceError("required", _("This field is required."), field=field)
    if len(value) > TEXT_LIMITS[field]:
        raise ServiceError(
            "too_long",
            _("At most %(limit)d characters.") % {"limit": TEXT_LIMITS[field]},
            field=field,
        )
    return value


def clean_org_fields(fields: dict, *, org: Organisation | None = None) -> dict:
    """All of an organisation's editable fields checked and normalised, or a ServiceError."""
    kind = getattr(fields.get("kind"), "value", fields.get("kind"))  # enum members from the API
    if kind not in Organisation.Kind.values:
        raise ServiceError("kind_invalid", _("Choose a kind of organisation."), field="kind")
    district = validators.clean_district(fields.get("district"))
    cleaned = {
        "kind": kind,
        "district": district,
        "credit_code": validators.clean_credit_code(fields.get("credit_code"), kind=kind),
        "community": validators.clean_community(
            fields.get("community"), kind=kind, district=district
        ),
        "contact_phone": validators.clean_phone(fields.get("contact_phone")),
    }
    for field in ("name", "address", "contact_name", "introduction"):
        cleaned[field] = _required_text(fields.get(field), field)
    _check_unique(cleaned, org=org)
    return cleaned


def _check_unique(cleaned: dict, *, org: Organisation | None) -> None:
    others = Organisation.objects.exclude(pk=org.pk) if org else Organisation.objects.all()
    if cleaned["credit_code"] and others.filter(credit_code=cleaned["credit_code"]).exists():
        raise ServiceError(
            "credit_code_taken",
            _("An organisation with this unified social credit code is already registered."),
            field="credit_code",
        )
    if others.filter(district=cleaned["district"], name=cleaned["name"]).exists():
        raise ServiceError(
            "name_taken",
            _("An organisation of this name is already registered in this district."),
            field="name",
        )


def _save(org: Organisation) -> None:
    """Saves, turning a lost race on a unique constraint into a clear refusal."""
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        raise ServiceError(
            "duplicate",
            _("An organisation with this name or credit code is already registered."),
        ) from None


def _list_changed() -> None:
    """Invalidates cached public lists now and again at commit (a reader in between may have
    cached the old rows under the new version)."""
    selectors.bump_list_version()
    transaction.on_commit(selectors.bump_list_version)


def org_register(*, actor: User, logo=None, **fields) -> Organisation:
    """Apply to register an organisation: it waits for its district's verification."""
    _refuse(permissions.can_register_org(actor))
    cleaned = clean_org_fields(fields)
    logo_file = validators.clean_logo(logo) if logo else None
    with transaction.atomic():
        org = Organisation(**cleaned, status=Organisation.Status.PENDING, created_by=actor)
        if logo_file:
            org.logo.save(logo_file.name, logo_file, save=False)
        _save(org)
        Membership.objects.create(
            organisation=org,
            user=actor,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
            decided_at=timezone.now(),
        )
        audit_log(actor=actor, action="org.registered", target=org, kind=org.kind)
    return org


def org_update(*, actor: User, org: Organisation, logo=None, **changes) -> Organisation:
    """Edit the organisation; a rejected one (or a changed identity) goes back for review."""
    _refuse(permissions.can_manage_org(actor, org))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError("unknown_field", _("Unknown field."), field=sorted(unknown)[0])
    current = {field: getattr(org, field) for field in EDITABLE_FIELDS}
    cleaned = clean_org_fields({**current, **changes}, org=org)
    logo_file = validators.clean_logo(logo) if logo else None
    changed = sorted(f for f in EDITABLE_FIELDS if cleaned[f] != current[f])
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        for field, value in cleaned.items():
            setattr(org, field, value)
        if logo_file:
            org.logo.save(logo_file.name, logo_file, save=False)
            changed.append("logo")
        resubmitted = org.status == Organisation.Status.REJECTED or (
            org.status == Organisation.Status.VERIFIED
            and any(f in IDENTITY_FIELDS for f in changed)
        )
        if resubmitted:
            org.status = Organisation.Status.PENDING
            org.rejection_reason = ""
        _save(org)
        audit_log(actor=actor, action="org.updated", target=org, fields=changed)
        if resubmitted:
            audit_log(actor=actor, action="org.resubmitted", target=org)
        _list_changed()
    return org


def org_review(*, actor: User, org: Organisation, approve: bool, reason: str = "") -> Organisation:
    """A district admin of the organisation's district (or the city admin) decides on it."""
    _refuse(permissions.can_review_org(actor, org))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError(
            "reason_required", _("Say why the application is rejected."), field="reason"
        )
    if len(reason) > 1000:
        raise ServiceError("too_long", _("At most 1000 characters."), field="reason")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=org.pk)
        if org.status != Organisation.Status.PENDING:
            raise ServiceError(
                "not_pending", _("This organisation is not waiting for verification.")
            )
        org.status = Organisation.Status.VERIFIED if approve else Organisation.Status.REJECTED
        org.rejection_reason = "" if approve else reason
        org.reviewed_by = actor
        org.reviewed_at = timezone.now()
        org.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
        action = "org.verified" if approve else "org.rejected"
        audit_log(actor=actor, action=action, target=org, reason=reason)
        _list_changed()
    return org


# --- memberships ----------------------------------------------------------------------------


def _lock(membership: Membership) -> Membership:
    """Locks the organisation row (so admin counts cannot race) and re-reads the membership."""
    Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    return Membership.objects.select_related("organisation", "user").get(pk=membership.pk)


def _check_status(membership: Membership, *expected: str) -> None:
    if membership.status not in expected:
        raise ServiceError(
            "wrong_status",
            _("This membership is %(status)s; nothing was changed.")
            % {"status": membership.get_status_display()},
        )


def _check_not_last_admin(membership: Membership) -> None:
    if membership.role != Membership.Role.ADMIN or membership.status != "active":
        return
    others = Membership.objects.filter(
        organisation_id=membership.organisation_id,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ServiceError(
            "last_admin",
            _("An organisation needs at least one admin: make another member admin first."),
        )


def _check_no_live_membership(org: Organisation, user: User) -> None:
    live = (
        Membership.objects.filter(organisation=org, user=user, status__in=Membership.LIVE_STATUSES)
        .values_list("status", flat=True)
        .first()
    )
    messages = {
        "active": _("This person is already a member."),
        "invited": _("This person has already been invited."),
        "requested": _("This person has already asked to join."),
    }
    if live:
        raise ServiceError(f"already_{live}", messages[live])


def _clean_role(role: str) -> str:
    role = getattr(role, "value", role)
    if role not in Membership.Role.values:
        raise ServiceError("role_invalid", _("Choose a role."), field="role")
    return role


def membership_invite(*, actor: User, org: Organisation, phone: str, role: str) -> Membership:
    """The organisation's admin invites a registered user, found by mobile number."""
    _refuse(permissions.can_manage_org(actor, org))
    role = _clean_role(role)
    phone = (phone or "").replace(" ", "").removeprefix("+86")
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise ServiceError(
            "no_such_user",
            _("Nobody has an account with this mobile number; ask them to sign up first."),
            field="phone",
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=org.pk)
        _check_no_live_membership(org, user)
        membership = Membership.objects.create(
            organisation=org,
            user=user,
            role=role,
            status=Membership.Status.INVITED,
            invited_by=actor,
        )
        audit_log(actor=actor, action="membership.invited", target=membership, role=role)
    return membership


def membership_answer_invitation(
    *, actor: User, membership: Membership, accept: bool
) -> Membership:
    """The invited user accepts or declines."""
    if membership.user_id != actor.pk:
        raise NotAllowed("forbidden", _("This invitation is not yours."))
    with transaction.atomic():
        membership = _lock(membership)
        _check_status(membership, Membership.Status.INVITED)
        membership.status = Membership.Status.ACTIVE if accept else Membership.Status.DECLINED
        membership.decided_at = timezone.now()
        membership.decided_by = actor
        membership.save(update_fields=["status", "decided_at", "decided_by"])
        action = "membership.accepted" if accept else "membership.declined"
        audit_log(actor=actor, action=action, target=membership)
    return membership


def membership_request(*, actor: User, org: Organisation, message: str = "") -> Membership:
    """A user asks to join a verified organisation."""
    if not actor.is_authenticated:
        raise NotAllowed("forbidden", _("Please log in first."))
    if not org.can_publish:
        raise ServiceError("org_not_verified", _("This organisation is not verified yet."))
    message = (message or "").strip()
    if len(message) > 200:
        raise ServiceError("too_long", _("At most 200 characters."), field="message")
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=org.pk)
        _check_no_live_membership(org, actor)
        membership = Membership.objects.create(
            organisation=org,
            user=actor,
            role=Membership.Role.MEMBER,
            status=Membership.Status.REQUESTED,
            message=message,
        )
        audit_log(actor=actor, action="membership.requested", target=membership)
    return membership


def membership_decide(
    *, actor: User, membership: Membership, approve: bool, reason: str = ""
) -> Membership:
    """The organisation's admin approves or rejects (with a reason) a join request."""
    _refuse(permissions.can_decide_membership(actor, membership))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError("reason_required", _("Say why the request is rejected."), field="reason")
    if len(reason) > 200:
        raise ServiceError("too_long", _("At most 200 characters."), field="reason")
    with transaction.atomic():
        membership = _lock(membership)
        _check_status(membership, Membership.Status.REQUESTED)
        membership.status = Membership.Status.ACTIVE if approve else Membership.Status.REJECTED
        membership.reason = "" if approve else reason
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        action = "membership.approved" if approve else "membership.rejected"
        audit_log(actor=actor, action=action, target=membership, reason=reason)
    return membership


def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """The organisation's admin changes an active member's role (never the last admin's)."""
    _refuse(permissions.can_decide_membership(actor, membership))
    role = _clean_role(role)
    with transaction.atomic():
        membership = _lock(membership)
        _check_status(membership, Membership.Status.ACTIVE)
        if role == membership.role:
            return membership
        if role != Membership.Role.ADMIN:
            _check_not_last_admin(membership)
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit_log(
            actor=actor,
            action="membership.role_changed",
            target=membership,
            old=old_role,
            new=role,
        )
    return membership


def membership_remove(*, actor: User, membership: Membership) -> Membership:
    """The organisation's admin removes a member or withdraws an invitation."""
    _refuse(permissions.can_decide_membership(actor, membership))
    with transaction.atomic():
        membership = _lock(membership)
        _check_status(membership, Membership.Status.ACTIVE, Membership.Status.INVITED)
        _check_not_last_admin(membership)
        membership.status = Membership.Status.REMOVED
        membership.decided_by = actor
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_by", "decided_at"])
        audit_log(actor=actor, action="membership.removed", target=membership)
    return membership


def membership_leave(*, actor: User, org: Organisation) -> Membership:
    """A member leaves the organisation (the last admin cannot)."""
    membership = selectors.live_membership(org=org, user=actor)
    if membership is None or membership.status != Membership.Status.ACTIVE:
        raise ServiceError("not_member", _("You are not a member of this organisation."))
    with transaction.atomic():
        membership = _lock(membership)
        _check_status(membership, Membership.Status.ACTIVE)
        _check_not_last_admin(membership)
        membership.status = Membership.Status.LEFT
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "decided_at"])
        audit_log(actor=actor, action="membership.left", target=membership)
    return membership
