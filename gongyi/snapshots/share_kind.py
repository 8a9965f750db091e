"""The "snapshot" share kind: an approved photo of a public project (key: the snapshot key).

Registered in `SnapshotsConfig.ready()`. Shares and visits count under the photo's project.
"""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyi.sharing import kinds
from gongyi.sharing.posters import POSTER_LANGUAGE, PosterContent, poster_png
from gongyi.snapshots import selectors

KIND = "snapshot"


def snapshot_target(snapshot) -> kinds.ShareTarget:
    """The share target of a loaded snapshot (its project is read)."""
    return kinds.ShareTarget(
        kind=KIND,
        key=snapshot.key,
        path=snapshot.get_absolute_url(),
        title=snapshot.caption or snapshot.project.title,
        description=_("A photo of %(title)s") % {"title": snapshot.project.title},
        image_path=reverse("snapshots:poster", args=[snapshot.key]),
        project_id=snapshot.project_id,
        is_public=snapshot.is_public,
    )


def poster(snapshot, url: str) -> tuple[bytes, str]:
    """The snapshot's poster (PNG bytes, digest): caption, project, place, organiser, date,
    and a QR code of `url` (the photo's page). FontMissing (503) without the font."""
    project = snapshot.project
    with translation.override(POSTER_LANGUAGE):
        content = PosterContent(
            title=snapshot.caption or project.title,
            lines=(
                (_("Project"), project.title),
                (_("Place"), project.district.name),
                (_("Organiser"), project.organisation.name),
                (_("Taken on"), f"{timezone.localdate(snapshot.created_at):%Y-%m-%d}"),
            ),
            url=url,
            caption=_("Scan to see the photo"),
        )
    return poster_png(content)


def resolve(key: str) -> kinds.ShareTarget | None:
    snapshot = selectors.public_snapshot(key)
    return snapshot_target(snapshot) if snapshot is not None else None


def register() -> None:
    kinds.register(KIND, resolve, label=gettext_lazy("Project snapshot"))
