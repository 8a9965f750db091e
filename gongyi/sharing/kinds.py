"""What can be shared: a registry of share kinds, each turning a key into a ShareTarget.

A kind is a short name ("project", "card", "snapshot") and a function that resolves a key
(a project number, a volunteer number, a snapshot id) into a `ShareTarget`, or None when
the key names nothing. The sharing app only ever talks to targets: short links, share and
visit counts, the meta tags and the share panel work the same for every kind.

Plugging in a new kind takes a few lines in the other app's `AppConfig.ready()`::

    from gongyi.sharing import kinds

    def resolve_card(key: str) -> kinds.ShareTarget | None:
        volunteer = Volunteer.objects.filter(number=key).first()
        if volunteer is None:
            return None
        return kinds.ShareTarget(
            kind="card",
            key=volunteer.number,
            path=reverse("growth:card", args=[volunteer.number]),
            title=f"{mask_name(volunteer.real_name)}的志愿者名片",
            description="…",
            image_path=None,          # or the card's own preview PNG
            project_id=None,          # counts kept on the link only
            is_public=True,           # False: no short link is given out
        )

    kinds.register("card", resolve_card, label=_("Identity card"))

Then `{% include "sharing/_meta.html" with share=target %}` in the page's head block and
`{% include "sharing/_share.html" with share=target %}` where the button goes (the view puts
`target = kinds.resolve("card", number)` in the context). A poster of the kind's own can be
drawn with `gongyi.sharing.posters.poster_png(PosterContent(title, lines, url))`.

Resolvers are called on every share and every visit of a short link: keep them to one
query, and answer None (not an exception) for a key that is malformed or names nothing.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

KIND_RE = re.compile(r"[a-z][a-z0-9_]{0,15}")
KEY_MAX_LENGTH = 64


@dataclass(frozen=True)
class ShareTarget:
    """A page that can be shared, as the sharing app needs to know it."""

    kind: str
    key: str
    path: str  # the page's own path, e.g. /projects/P310101…/
    title: str
    description: str
    image_path: str | None  # a poster or preview image (a path on this site), or None
    project_id: int | None  # the project whose figures count this target's shares and visits
    is_public: bool  # only public targets get short links


Resolver = Callable[[str], ShareTarget | None]

_resolvers: dict[str, Resolver] = {}
_labels: dict[str, object] = {}


def register(kind: str, resolve: Resolver, *, label: object = None) -> None:
    """Make `kind` shareable; registering a kind again replaces its resolver."""
    if not KIND_RE.fullmatch(kind):
        raise ValueError(f"A share kind is 1-16 lower-case letters, digits or _: {kind!r}")
    _resolvers[kind] = resolve
    _labels[kind] = label or kind


def unregister(kind: str) -> None:
    """Forget a kind (tests register fake kinds and remove them afterwards)."""
    _resolvers.pop(kind, None)
    _labels.pop(kind, None)


def registered() -> list[str]:
    return sorted(_resolvers)


def label(kind: str) -> str:
    """The kind's name for people (its label when registered with one)."""
    return str(_labels.get(kind, kind))


def resolve(kind: str, key: str) -> ShareTarget | None:
    """The target `key` names in `kind`, or None (unknown kind, malformed or unknown key)."""
    resolver = _resolvers.get(kind)
    if resolver is None or not key or len(key) > KEY_MAX_LENGTH or "\x00" in key:
        return None
    return resolver(key)
