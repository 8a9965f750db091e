"""API authentication: the browser session (CSRF-checked) or a bearer token."""

import hashlib
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from gongyi.accounts.models import ApiToken, User, Volunteer
from gongyi.core import rows

# How stale "last used" may be: writing it on every call would add a write to every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(key: str) -> str:
    # Tokens are long random strings, so a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(key.encode()).hexdigest()


# Read by hand (core.rows): every API call by a partner app or a phone starts here. The
# volunteer profile comes along (most calls need it; signing up always does), so a token
# call costs one read.
_READ = (
    f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(User, 'u')},"
    f" {rows.columns(Volunteer, 'v')}"
    f" FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id"
    f" LEFT JOIN {Volunteer._meta.db_table} v ON v.user_id = u.id"
    " WHERE t.key_hash = %s AND u.is_active"
)
# Marks a live user's token used unless it was within LAST_USED_PRECISION. On PostgreSQL it
# rides in the same statement as the read (a data-modifying WITH): one round trip per call.
_MARK_USED = (
    f"UPDATE {ApiToken._meta.db_table} SET last_used_at = %s WHERE key_hash = %s"
    " AND (last_used_at IS NULL OR last_used_at < %s)"
    f" AND user_id IN (SELECT id FROM {User._meta.db_table} WHERE is_active)"
)
_MARK_AND_READ = f"WITH marked AS ({_MARK_USED}) {_READ}"


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = _read_and_mark(token_hash(token), timezone.now())
        if found is None:
            return None
        user, volunteer = rows.instances(found[rows.width(ApiToken) :], User, Volunteer)
        # Cached on the user, None too: `user.volunteer` then asks the database nothing.
        User.volunteer.related.set_cached_value(user, volunteer)
        if volunteer is not None:
            Volunteer.user.field.set_cached_value(volunteer, user)
        request.user = user
        return user


def _read_and_mark(key_hash: str, now) -> tuple | None:
    """The token's row with its user and volunteer (None when unknown or the user is not
    active); its use marked."""
    adapt = connection.ops.adapt_datetimefield_value
    mark = [adapt(now), key_hash, adapt(now - LAST_USED_PRECISION)]
    if connection.vendor == "postgresql":
        return rows.fetch_one(_MARK_AND_READ, [*mark, key_hash])
    found = rows.fetch_one(_READ, [key_hash])
    # SQLite takes its write lock for any UPDATE, even one that changes nothing: ask first.
    if found is not None and _stale(rows.instance(ApiToken, found[: rows.width(ApiToken)]), now):
        with connection.cursor() as cursor:
            cursor.execute(_MARK_USED, mark)
    return found


def _stale(token: ApiToken, now) -> bool:
    return token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION


def public_caller(request):
    """Who calls an operation open to everybody (`auth=None`): the session user, the bearer
    token's user, or the anonymous user. Ninja authenticates only operations that need it."""
    if request.user.is_authenticated:
        return request.user
    return TokenAuth()(request) or request.user


# Token first: ninja's SessionAuth checks CSRF before it looks for a session, so a partner
# app's token POST (no cookie, no CSRF token) would be refused if the session came first.
session_or_token = [TokenAuth(), SessionAuth()]
