"""Reads of the orgs app: public lists, one organisation, memberships, the review queue."""

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongyi import permissions
from gongyi.orgs.models import Membership, Organisation
from gongyi.regions.models import Region
from gongyi.regions.selectors import region_by_code

PAGE_SIZE = 20
LIST_VERSION_KEY = "orgs:list-version"


def can_publish(org: Organisation) -> bool:
    """Whether the organisation may publish projects (for the projects app)."""
    return org.can_publish


def list_version() -> int:
    """Changes whenever the public list may have changed; part of its cache keys."""
    version = cache.get(LIST_VERSION_KEY)
    if version is None:
        cache.add(LIST_VERSION_KEY, 1, timeout=None)
        version = cache.get(LIST_VERSION_KEY, 1)
    return version


def bump_list_version() -> None:
    try:
        cache.incr(LIST_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(LIST_VERSION_KEY, 2, timeout=None)


def districts() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.DISTRICT).order_by("code")


def communities() -> QuerySet[Region]:
    return (
        Region.objects.filter(level=Region.Level.COMMUNITY)
        .select_related("parent__parent")
        .order_by("code")
    )


def public_orgs(
    *, district_id: int | None = None, kind: str = "", q: str = ""
) -> QuerySet[Organisation]:
    """Verified organisations, filtered; ordered so pages are stable."""
    orgs = Organisation.objects.filter(status=Organisation.Status.VERIFIED).select_related(
        "district", "community"
    )
    if district_id:
        orgs = orgs.filter(district_id=district_id)
    if kind:
        orgs = orgs.filter(kind=kind)
    if q:
        orgs = orgs.filter(Q(name__icontains=q))
    return orgs.order_by("-created_at", "-id")


def visible_org(*, user, pk: int) -> Organisation:
    """One organisation the user may see, or 404 (a pending one is no one else's business)."""
    org = get_object_or_404(Organisation.objects.select_related("district", "community"), pk=pk)
    if not permissions.can_see_org(user, org):
        raise Http404
    return org


def review_queue(*, user) -> QuerySet[Organisation]:
    """Pending organisations of the districts the user reviews, oldest first."""
    return (
        Organisation.objects.filter(permissions.org_review_scope(user))
        .filter(status=Organisation.Status.PENDING)
        .select_related("district", "community", "created_by")
        .order_by("created_at", "id")
    )


def live_membership(*, org: Organisation, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(organisation=org, user=user, status__in=Membership.LIVE_STATUSES)
        .select_related("organisation")
        .first()
    )


def my_memberships(*, user) -> QuerySet[Membership]:
    """The user's live memberships (active, invitations, requests) and recent refusals."""
    return (
        Membership.objects.filter(user=user)
        .exclude(status__in=[Membership.Status.LEFT, Membership.Status.REMOVED])
        .select_related("organisation", "organisation__district", "invited_by")
        .order_by("-created_at", "-id")
    )


def org_memberships(*, org: Organisation) -> dict[str, list[Membership]]:
    """The organisation's members grouped by status: active, invited, requested."""
    rows = (
        Membership.objects.filter(organisation=org, status__in=Membership.LIVE_STATUSES)
        .select_related("user")
        .order_by("role", "id")
    )
    groups: dict[str, list[Membership]] = {status: [] for status in Membership.LIVE_STATUSES}
    for row in rows:
        groups[row.status].append(row)
    return groups


def get_membership(pk: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)


def member_label(membership: Membership) -> str:
    """How a member is named to other members: display name, or the masked mobile number."""
    return membership.user.display_name or membership.user.masked_phone


def named_base_ids():
    """Ids of the organisations that are public-welfare bases now (a subquery)."""
    from gongyi.orgs.models import BaseDesignation

    return BaseDesignation.objects.filter(status=BaseDesignation.Status.NAMED).values(
        "organisation_id"
    )


def district_by_code(code: str | None) -> Region | None:
    """The district with this code, or None for any other code, malformed ones included
    (`region_by_code` never sends those to the database: a NUL byte makes PostgreSQL raise)."""
    region = region_by_code(code)
    return region if region is not None and region.level == Region.Level.DISTRICT else None


def bases(*, district_id: int | None = None):
    """Named bases, newest naming first, for the public list."""
    from gongyi.orgs.models import BaseDesignation

    found = BaseDesignation.objects.filter(status=BaseDesignation.Status.NAMED)
    if district_id:
        found = found.filter(organisation__district_id=district_id)
    return found.select_related("organisation__district").order_by("-named_on", "-id")


def base_queue(user):
    """Applications waiting and bases named, of the organisations the user reviews (the same
    scope as `review_queue`: a city admin sees their own city's, not every city's)."""
    from gongyi.orgs.models import BaseDesignation

    reviewed = Organisation.objects.filter(permissions.org_review_scope(user))
    found = BaseDesignation.objects.filter(
        status__in=BaseDesignation.LIVE_STATUSES, organisation__in=reviewed
    )
    return found.select_related("organisation__district").order_by("status", "applied_at")
