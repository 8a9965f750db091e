"""Sharing writes: give a target its short link, count a share, count a visit.

Only public targets get links. Counting is throttled (see `gongyi.sharing.throttle`) and each
count is one `UPDATE … SET n = n + 1`, so concurrent requests never lose one.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from gongyi.core import images
from gongyi.core.errors import ServiceError
from gongyi.core.useragents import is_preview_fetch
from gongyi.projects.models import Project
from gongyi.sharing import kinds, posters, project_kind, selectors, throttle
from gongyi.sharing.kinds import ShareTarget
from gongyi.sharing.models import CODE_ALPHABET, CODE_LENGTH, ShareLink

CODE_ATTEMPTS = 5
FROM_PARAM = ("from", "share")  # added to the page address a short link leads to


class NotShareable(ServiceError):
    """The target does not exist or is not public (a draft, a cancelled project): 404."""

    status = 404


NOT_SHAREABLE = _("Nothing to share here: the page does not exist or is not public.")
POSTER_FONT_MISSING = _(
    "The poster cannot be drawn right now: the Chinese font is not installed on the server. "
    "The page can still be shared with its link."
)
LINK_MISSING = _("This share link does not exist, or the page it led to is no longer public.")


@dataclass(frozen=True)
class Shared:
    link: ShareLink
    target: ShareTarget
    counted: bool  # False: the same caller shared it moments ago, so it added nothing


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def shareable(kind: str, key: str) -> ShareTarget:
    """The public target `key` names in `kind`; NotShareable (404) otherwise."""
    target = kinds.resolve(kind, key)
    if target is None or not target.is_public:
        raise NotShareable("not_shareable", NOT_SHAREABLE)
    return target


def link_for(target: ShareTarget) -> ShareLink:
    """The target's short link, made the first time it is asked for.

    Race-safe: two first shares at once both try to insert, the unique (kind, key) lets one
    win, and the other reads the winner's row. A clash on the random code is retried.
    """
    found = selectors.link_of(target.kind, target.key)
    if found is not None:
        return found
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: the outer transaction survives a clash
                return ShareLink.objects.create(
                    code=new_code(),
                    kind=target.kind,
                    key=target.key,
                    project_id=target.project_id,
                )
        except IntegrityError:
            found = selectors.link_of(target.kind, target.key)
            if found is not None:
                return found
    raise RuntimeError("no free share code after several attempts")  # pragma: no cover


def share(*, kind: str, key: str, who: str) -> Shared:
    """The target's short link; counts one share unless `who` shared it within the window."""
    target = shareable(kind, key)
    with transaction.atomic():
        link = link_for(target)
        counted = throttle.share_counts(link.pk, who)
        if counted:
            ShareLink.objects.filter(pk=link.pk).update(shares=F("shares") + 1)
            link.shares += 1
    return Shared(link=link, target=target, counted=counted)


def visit(*, code: str, who: str, user_agent: str) -> str:
    """Where the short link `code` leads (the target's page, marked as reached by a share);
    counts the visit unless it is a preview fetch or `who` came through it within the window.
    """
    link = selectors.link_by_code(code)
    target = kinds.resolve(link.kind, link.key) if link is not None else None
    if target is None or not target.is_public:
        raise NotShareable("link_missing", LINK_MISSING)
    if not is_preview_fetch(user_agent) and throttle.visit_counts(link.pk, who):
        ShareLink.objects.filter(pk=link.pk).update(visits=F("visits") + 1)
    return marked_as_shared(target.path)


def marked_as_shared(path: str) -> str:
    """`path` with `from=share` in its query (kept once, whatever else the query holds)."""
    parts = urlsplit(path)
    query = [pair for pair in parse_qsl(parts.query) if pair[0] != FROM_PARAM[0]]
    query.append(FROM_PARAM)
    return urlunsplit(parts._replace(query=urlencode(query)))


def project_poster(*, project: Project, absolute: Callable[[str], str]) -> tuple[bytes, str]:
    """The public project's poster (PNG bytes, digest), its QR code leading to the project's
    short link (made now if it has none; that counts nothing). `absolute` turns a path into
    a full address (`request.build_absolute_uri`). FontMissing (503) without the font."""
    link = selectors.link_of(project_kind.KIND, project.number)
    if link is None:  # the first poster of the project: give it its link
        link = link_for(project_kind.project_target(project))
    content = project_kind.poster_content(project, absolute(link.get_absolute_url()))
    try:
        return posters.poster_png(content)
    except images.FontMissing:
        raise images.FontMissing("font_missing", POSTER_FONT_MISSING) from None
