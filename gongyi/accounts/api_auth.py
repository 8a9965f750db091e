"""API authentication: the browser session (CSRF-checked) or a bearer token."""

import hashlib
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from gongyi.accounts.models import ApiToken, User
from gongyi.core import rows

# How stale "last used" may be: writing it on every call would add a write to every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(key: str) -> str:
    # Tokens are long random strings, so a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(key.encode()).hexdigest()


# Read by hand (core.rows): every API call by a partner app or a phone starts here.
_TOKEN_AND_USER = (
    f"SELECT {rows.columns(ApiToken, 't')}, {rows.columns(User, 'u')}"
    f" FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id"
    " WHERE t.key_hash = %s AND u.is_active"
)
_MARK_USED = f"UPDATE {ApiToken._meta.db_table} SET last_used_at = %s WHERE id = %s"


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = rows.fetch_one(_TOKEN_AND_USER, [token_hash(token)])
        if found is None:
            return None
        used, user = rows.instances(found, ApiToken, User)
        now = timezone.now()
        if used.last_used_at is None or now - used.last_used_at >= LAST_USED_PRECISION:
            with connection.cursor() as cursor:
                cursor.execute(_MARK_USED, [connection.ops.adapt_datetimefield_value(now), used.pk])
        request.user = user
        return user


def public_caller(request):
    """Who calls an operation open to everybody (`auth=None`): the session user, the bearer
    token's user, or the anonymous user. Ninja authenticates only operations that need it."""
    if request.user.is_authenticated:
        return request.user
    return TokenAuth()(request) or request.user


# Token first: ninja's SessionAuth checks CSRF before it looks for a session, so a partner
# app's token POST (no cookie, no CSRF token) would be refused if the session came first.
session_or_token = [TokenAuth(), SessionAuth()]
