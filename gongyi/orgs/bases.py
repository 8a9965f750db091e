"""Writes of public-welfare base designations (公益基地命名): apply, name or refuse, revoke.

Keyword-only, one transaction each, checked through `gongyi.permissions`, audited, and the
organisation's admins are told of every decision in their inbox.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi import permissions
from gongyi.accounts.models import User
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.notices.services import notify_many
from gongyi.orgs.models import BaseDesignation, Membership, Organisation

Status = BaseDesignation.Status


def _text(value: str | None, field: str, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError("required", _("This field is required."), field=field)
    if len(value) > limit:
        raise ServiceError("too_long", _("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def base_apply(*, actor: User, org: Organisation, statement: str) -> BaseDesignation:
    """The organisation's admin applies for it to be named a base."""
    require_allowed(permissions.can_manage_org(actor, org))
    statement = _text(statement, "statement", required=True, limit=2000)
    if not org.is_verified:
        raise ServiceError(
            "not_verified", _("Only a verified organisation can apply to be named a base.")
        )
    try:
        with transaction.atomic():
            designation = BaseDesignation.objects.create(
                organisation=org, statement=statement, applied_by=actor
            )
            audit_log(actor=actor, action="base.applied", target=designation)
    except IntegrityError:
        raise ServiceError(
            "already_live",
            _("This organisation already has an application or is already a base."),
        ) from None
    return designation


def _locked(designation: BaseDesignation, *expected: str) -> BaseDesignation:
    designation = BaseDesignation.objects.select_for_update().get(pk=designation.pk)
    if designation.status not in expected:
        raise ServiceError("wrong_status", _("This designation has changed; reload the page."))
    return designation


def _tell_admins(designation: BaseDesignation, title: str) -> None:
    admins = Membership.objects.filter(
        organisation_id=designation.organisation_id, role="admin", status="active"
    ).values_list("user_id", flat=True)
    url = reverse("orgs:detail", args=[designation.organisation_id])
    notify_many(titles=dict.fromkeys(admins, title), kind="base", body=designation.reason, url=url)


def base_decide(
    *, actor: User, designation: BaseDesignation, name: bool, reason: str = ""
) -> BaseDesignation:
    """The district admin names the base (授牌) or refuses the application with a reason."""
    require_allowed(permissions.can_review_org(actor, designation.organisation))
    reason = _text(reason, "reason", required=not name, limit=500)
    with transaction.atomic():
        designation = _locked(designation, Status.APPLIED)
        now = timezone.now()
        designation.status = Status.NAMED if name else Status.REFUSED
        designation.reason = reason
        designation.decided_by, designation.decided_at = actor, now
        designation.named_on = timezone.localdate(now) if name else None
        designation.save()
        action = "base.named" if name else "base.refused"
        audit_log(actor=actor, action=action, target=designation, reason=reason)
        title = _("Named a public-welfare base") if name else _("Base application refused")
        _tell_admins(designation, str(title))
    return designation


def base_revoke(*, actor: User, designation: BaseDesignation, reason: str) -> BaseDesignation:
    """The district admin takes the naming back, with a reason."""
    require_allowed(permissions.can_review_org(actor, designation.organisation))
    reason = _text(reason, "reason", required=True, limit=500)
    with transaction.atomic():
        designation = _locked(designation, Status.NAMED)
        designation.status = Status.REVOKED
        designation.reason = reason
        designation.decided_by, designation.decided_at = actor, timezone.now()
        designation.save()
        audit_log(actor=actor, action="base.revoked", target=designation, reason=reason)
        _tell_admins(designation, str(_("Public-welfare base naming revoked")))
    return designation
