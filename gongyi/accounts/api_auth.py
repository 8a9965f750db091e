"""API authentication: the browser session (CSRF-checked) or a bearer token."""

import hashlib
from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from gongyi.accounts.models import ApiToken

# How stale "last used" may be: writing it on every call would add a write to every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def token_hash(key: str) -> str:
    # Tokens are long random strings, so a plain SHA-256 is enough to store them safely.
    return hashlib.sha256(key.encode()).hexdigest()


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


def public_caller(request):
    """Who calls an operation open to everybody (`auth=None`): the session user, the bearer
    token's user, or the anonymous user. Ninja authenticates only operations that need it."""
    if request.user.is_authenticated:
        return request.user
    return TokenAuth()(request) or request.user


# Token first: ninja's SessionAuth checks CSRF before it looks for a session, so a partner
# app's token POST (no cookie, no CSRF token) would be refused if the session came first.
session_or_token = [TokenAuth(), SessionAuth()]
