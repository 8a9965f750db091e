"""A short full-page cache for pages that are the same for every anonymous visitor.

Django's own cache middleware keys on the `Cookie` header (the session is touched by every
page), so every visitor with a `csrftoken` cookie would get a cache of their own. Public
pages such as the project finder are the same for all anonymous visitors in one language,
so they are cached by path, query and language instead, for a few seconds.

A page rendered for this cache must not carry anything personal or per-request: the base
template leaves out the CSRF token while `request.public_page_cache` is set, and the
language switch posts without one (see `gongyi.core.views.set_language`). CSP nonces may
go stale in a cached copy: our scripts are files from 'self', which the policy allows anyway.

A public list changes when rows are published or edited: its cache keys carry a version
(`cache_version(key)`) that the writing service moves on (`bump_cache_version(key)`), so the
old copies are never read again and expire on their own.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


def cache_version(key: str) -> int:
    """The current version stored under `key` (1 to begin with); part of other cache keys."""
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, timeout=None)
        version = cache.get(key, 1)
    return version


def bump_cache_version(key: str) -> None:
    """Move the version on: every key built with the old one is stale from now on."""
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(key, 2, timeout=None)


def shared_key(request: HttpRequest, name: str, version: object) -> str:
    """A cache key for what `name` shows at this host, path and query, in this language (the
    host: a district site shows its own district by default, at the same path)."""
    where = f"{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(where.encode()).hexdigest()
    return f"{name}:{version}:{get_language()}:{path}"


def is_anonymous_visit(request: HttpRequest) -> bool:
    """A GET by a visitor with no session and no pending messages: nothing personal to show."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def public_page_cache(seconds: int, *, version: Callable[[], object] = lambda: 0):
    """Serve the view's 200 answers to anonymous visitors from the cache for `seconds`.

    `version` is part of the key, so a publish or edit that bumps it is seen at once.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not is_anonymous_visit(request):
                return view(request, *args, **kwargs)
            key = shared_key(request, f"page:{view.__module__}.{view.__name__}", version())
            body = cache.get(key)
            if body is not None:
                response = HttpResponse(body)
            else:
                request.public_page_cache = True
                response = view(request, *args, **kwargs)
                # A page that asked for a CSRF token is personal after all: never share it.
                personal = request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                if response.status_code == 200 and not response.streaming and not personal:
                    cache.set(key, response.content, seconds)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapped

    return decorator
