"""Reads of the accounts app: a user's volunteer profile, region choices, the data export."""

from django.db.models import Q
from django.utils import timezone

from gongyi.accounts.choices import category_label
from gongyi.accounts.models import User, Volunteer
from gongyi.core.crypto import decrypt
from gongyi.core.models import AuditEntry
from gongyi.permissions import can_export_personal_data, require
from gongyi.regions.models import Region


def volunteer_of(user) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if User.volunteer.is_cached(user):  # a token call brought it along (accounts.api_auth)
        return User.volunteer.related.get_cached_value(user)
    volunteer = Volunteer.objects.select_related("home_region").filter(user=user).first()
    if volunteer is not None:
        volunteer.user = user  # loaded already: notices and audit entries read it
    return volunteer


def id_number_taken(lookup_key: str) -> bool:
    return Volunteer.objects.filter(id_number_hash=lookup_key).exists()


def home_regions():
    """Districts, streets and communities a volunteer may name as home, in tree order."""
    return (
        Region.objects.filter(level__gte=Region.Level.DISTRICT)
        .select_related("parent", "parent__parent")
        .order_by("code")
    )


def region_path(region: Region | None) -> str:
    """`黄浦区 · 南京东路街道 · 贵州路居委会`: the region and its parents up to the district."""
    names = []
    while region is not None and region.level >= Region.Level.DISTRICT:
        names.append(region.name)
        region = region.parent
    return " · ".join(reversed(names))


def _dt(value):
    return value.isoformat() if value else None


def _region(region: Region | None) -> dict | None:
    return {"code": region.code, "name": region_path(region)} if region else None


def _volunteer_data(volunteer: Volunteer) -> dict:
    id_number = decrypt(volunteer.id_number_encrypted) if volunteer.id_number_encrypted else ""
    return {
        "number": volunteer.number,
        "real_name": volunteer.real_name,
        "id_type": volunteer.id_type,
        "id_number": id_number,
        "gender": volunteer.gender,
        "birth_date": _dt(volunteer.birth_date),
        "guardian_name": volunteer.guardian_name,
        "guardian_phone": volunteer.guardian_phone,
        "guardian_consent_at": _dt(volunteer.guardian_consent_at),
        "skills": volunteer.skills,
        "languages": volunteer.languages,
        "interests": [{"code": c, "label": category_label(c)} for c in volunteer.interests],
        "availability": volunteer.availability,
        "home_region": _region(volunteer.home_region),
        "photo": volunteer.photo.url if volunteer.photo else None,
        "privacy_consent_at": _dt(volunteer.privacy_consent_at),
        "registered_at": _dt(volunteer.registered_at),
    }


def _audit_entries(user: User, volunteer: Volunteer | None) -> list[dict]:
    about = Q(actor=user) | Q(target_type="accounts.user", target_id=str(user.pk))
    if volunteer is not None:
        about |= Q(target_type="accounts.volunteer", target_id=str(volunteer.pk))
    return [
        {
            "at": _dt(e.at),
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "data": e.data,
        }
        for e in AuditEntry.objects.filter(about).order_by("at", "id")
    ]


def export_personal_data(*, viewer, user: User) -> dict:
    """Everything the platform holds about `user`, for `user` alone (ID number in clear)."""
    require(can_export_personal_data(viewer, user))
    volunteer = volunteer_of(user)
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "phone": user.phone,
            "display_name": user.display_name,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
        },
        "volunteer": _volunteer_data(volunteer) if volunteer else None,
        "staff_roles": [
            {"role": r.role, "region": r.region.name, "granted_at": _dt(r.granted_at)}
            for r in user.staff_roles.select_related("region")
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "status": m.status,
                "created_at": _dt(m.created_at),
            }
            for m in user.memberships.select_related("organisation")
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": _dt(t.created_at)}
            for t in user.api_tokens.all()
        ],
        "audit_log": _audit_entries(user, volunteer),
    }
