"""Writes of the calendars: issue and revoke a volunteer's feed URL, keep saved searches."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi import permissions
from gongyi.accounts.api_auth import token_hash
from gongyi.accounts.models import User, Volunteer
from gongyi.calendars.models import FeedToken, SavedSearch
from gongyi.calendars.selectors import MAX_QUERY_LENGTH, normalise_query
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed

MAX_SEARCHES = 20  # saved searches per person
NAME_LENGTH = 60
# How stale "last fetched" may be: calendar apps poll often, a write per poll is waste.
FETCH_PRECISION = timedelta(minutes=10)


# --- the private feed URL -------------------------------------------------------------------


def feed_token_issue(*, volunteer: Volunteer) -> tuple[FeedToken, str]:
    """A new private feed URL key; the one before stops working at once.

    The key is returned once and only its hash is kept: whoever lost it issues a new one."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        # One issue at a time per volunteer: the second waits, then revokes the first's token.
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        now = timezone.now()
        FeedToken.objects.filter(volunteer=volunteer, revoked_at__isnull=True).update(
            revoked_at=now
        )
        token = FeedToken.objects.create(
            volunteer=volunteer, key_hash=token_hash(key), prefix=key[:8], created_at=now
        )
        audit_log(actor=volunteer.user, action="calendar.feed_issued", target=token)
    return token, key


def feed_token_revoke(*, volunteer: Volunteer) -> int:
    """Revoke the volunteer's feed URL (it answers 404 from now on); how many were live."""
    with transaction.atomic():
        live = list(FeedToken.objects.filter(volunteer=volunteer, revoked_at__isnull=True))
        FeedToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=timezone.now())
        for token in live:
            audit_log(actor=volunteer.user, action="calendar.feed_revoked", target=token)
    return len(live)


def note_feed_fetched(*, token: FeedToken) -> None:
    """Remember when a calendar app last read the feed (shown on the feed page)."""
    now = timezone.now()
    if token.last_fetched_at is None or now - token.last_fetched_at >= FETCH_PRECISION:
        FeedToken.objects.filter(pk=token.pk).update(last_fetched_at=now)
        token.last_fetched_at = now


# --- saved searches -------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = (name or "").replace("\x00", "").strip()
    if not name:
        raise ServiceError("name_required", _("Give the search a name."), field="name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(
            "name_too_long",
            _("A name has at most %(count)d characters.") % {"count": NAME_LENGTH},
            field="name",
        )
    return name


def _clean_query(query: str) -> str:
    if len(query or "") > MAX_QUERY_LENGTH:
        raise ServiceError(
            "query_too_long",
            _("The filters are too long (at most %(count)d characters).")
            % {"count": MAX_QUERY_LENGTH},
            field="query",
        )
    # Only the finder's valid filters are kept: junk in a URL never reaches a feed.
    return normalise_query((query or "").replace("\x00", ""))


def saved_search_create(*, user: User, name: str, query: str) -> SavedSearch:
    name, query = _clean_name(name), _clean_query(query)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # the count below holds
        if SavedSearch.objects.filter(user=user).count() >= MAX_SEARCHES:
            raise ServiceError(
                "too_many",
                _("You can keep at most %(count)d saved searches; delete one first.")
                % {"count": MAX_SEARCHES},
            )
        search = SavedSearch.objects.create(user=user, name=name, query=query)
        audit_log(actor=user, action="calendar.search_saved", target=search, query=query)
    return search


def saved_search_update(*, actor: User, search: SavedSearch, name: str, query: str) -> SavedSearch:
    require_allowed(permissions.can_use_saved_search(actor, search))
    search.name, search.query = _clean_name(name), _clean_query(query)
    search.updated_at = timezone.now()
    with transaction.atomic():
        search.save(update_fields=["name", "query", "updated_at"])
        audit_log(actor=actor, action="calendar.search_changed", target=search, query=search.query)
    return search


def saved_search_delete(*, actor: User, search: SavedSearch) -> None:
    """Delete the search; its feed answers 404 from now on."""
    require_allowed(permissions.can_use_saved_search(actor, search))
    with transaction.atomic():
        audit_log(actor=actor, action="calendar.search_deleted", target=search)
        search.delete()
