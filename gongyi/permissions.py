"""Every permission check of the platform, in one place.

Views, the API and services ask these functions; nothing else decides who may do what.
Roles: visitor, volunteer, organisation admin / project leader / member, district admin
(one district), city admin (one city).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from gongyi.accounts.models import User, Volunteer
    from gongyi.orgs.models import Organisation
    from gongyi.regions.models import Region


def _staff_regions(user: User, role: str) -> set[int]:
    if not user.is_authenticated:
        return set()
    cache_name = f"_staff_regions_{role}"
    if not hasattr(user, cache_name):
        ids = set(user.staff_roles.filter(role=role).values_list("region_id", flat=True))
        setattr(user, cache_name, ids)
    return getattr(user, cache_name)


def is_city_admin(user: User, city: Region | None = None) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    cities = _staff_regions(user, "city_admin")
    return bool(cities) if city is None else city.pk in cities


def admin_district_ids(user: User) -> set[int]:
    """Districts the user administers as a district admin."""
    return _staff_regions(user, "district_admin")


def is_district_admin(user: User, district: Region | None = None) -> bool:
    districts = admin_district_ids(user)
    return bool(districts) if district is None else district.pk in districts


def is_admin_for_district(user: User, district: Region) -> bool:
    """City admin of its city, or district admin of that very district."""
    return is_district_admin(user, district) or is_city_admin(user, district.city)


def org_role(user: User, org: Organisation) -> str | None:
    """The user's active role in the organisation, or None."""
    if not user.is_authenticated:
        return None
    return org.memberships.filter(user=user, status="active").values_list("role", flat=True).first()


def can_review_org(user: User, org: Organisation) -> bool:
    return is_admin_for_district(user, org.district)


def can_manage_org(user: User, org: Organisation) -> bool:
    """Edit the organisation and decide on its members."""
    return org_role(user, org) == "admin"


def can_see_org_members(user: User, org: Organisation) -> bool:
    return org_role(user, org) is not None or can_review_org(user, org)


def can_see_org_private(user: User, org: Organisation) -> bool:
    """Unmasked contact details, status history, rejection reason."""
    return org.created_by_id == getattr(user, "pk", None) or can_see_org_members(user, org)


def can_see_volunteer_private(user: User, volunteer: Volunteer) -> bool:
    """A volunteer's own data: the volunteer and the city admin, nobody else (for now)."""
    return volunteer.user_id == getattr(user, "pk", None) or is_city_admin(user)


def require(allowed: bool) -> None:
    """Raise 403 unless allowed: `require(can_manage_org(request.user, org))`."""
    if not allowed:
        raise PermissionDenied
