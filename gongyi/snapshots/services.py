"""Uploading, moderating and deleting snapshots.

Every file of an upload is checked and re-encoded before anything is written, so a refusal
(a file that is not an image, one too large, too many) saves nothing. The files are written
inside the transaction that creates the rows and removed again when it fails; a deleted
snapshot's files go once its deletion is committed.
"""

from collections.abc import Sequence
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongyi import permissions
from gongyi.accounts.models import User
from gongyi.core.audit import audit_log
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.page_cache import bump_cache_version
from gongyi.notices.services import notify, notify_many
from gongyi.orgs.models import Membership
from gongyi.projects.models import Project
from gongyi.snapshots import processing
from gongyi.snapshots.models import PUBLIC_PROJECT_STATUSES, Snapshot

MAX_PER_UPLOAD = 9
MAX_PER_PERSON = 30  # per person per project, whatever their status
CAPTION_MAX = 200
REASON_MAX = 200
WALL_VERSION = "snapshots:wall-version"  # moved on whenever what the public sees changes
NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


# --- upload ---------------------------------------------------------------------------------


def snapshot_upload(
    *,
    actor: User,
    project: Project,
    photos: Sequence,
    captions: Sequence[str] = (),
    now: datetime | None = None,
) -> list[Snapshot]:
    """Add photos (with captions, in the same order) to the project. The organiser's are
    approved at once; a volunteer's wait for the organiser, who is told."""
    by_organiser = permissions.can_moderate_snapshots(actor, project)
    if not by_organiser and not permissions.served_project(actor, project):
        raise NotAllowed(
            "not_served",
            _("Only the project's organiser and the volunteers who served in it may add photos."),
        )
    if project.status not in PUBLIC_PROJECT_STATUSES:
        raise ServiceError(
            "project_not_public", _("Photos can be added only to a published or concluded project.")
        )
    photos = list(photos)
    captions = _clean_captions(captions, len(photos))
    processed = [
        processing.process(photo, label=_label(number, photo))
        for number, photo in enumerate(photos, 1)
    ]
    return _store(
        actor=actor,
        project=project,
        items=list(zip(processed, captions, strict=True)),
        by_organiser=by_organiser,
        now=now or timezone.now(),
    )


def _label(number: int, photo) -> str:
    name = (getattr(photo, "name", "") or "").rsplit("/", 1)[-1][:60]
    if name:
        return _("Photo %(n)s (%(name)s)") % {"n": number, "name": name}
    return _("Photo %(n)s") % {"n": number}


def _clean_captions(captions: Sequence[str], count: int) -> list[str]:
    if count == 0:
        raise ServiceError("no_photos", _("Choose at least one photo."), field="photos")
    if count > MAX_PER_UPLOAD:
        raise ServiceError(
            "too_many_photos",
            _("Add at most %(n)s photos at a time.") % {"n": MAX_PER_UPLOAD},
            field="photos",
        )
    cleaned = [" ".join((caption or "").split()) for caption in captions]
    if len(cleaned) > count:
        raise ServiceError(
            "too_many_captions",
            _("There are more captions (%(captions)s) than photos (%(photos)s).")
            % {"captions": len(cleaned), "photos": count},
            field="captions",
        )
    for number, caption in enumerate(cleaned, 1):
        if len(caption) > CAPTION_MAX:
            raise ServiceError(
                "caption_too_long",
                _("The caption of photo %(n)s is longer than %(max)s characters.")
                % {"n": number, "max": CAPTION_MAX},
                field="captions",
            )
    return cleaned + [""] * (count - len(cleaned))


def _store(*, actor, project, items, by_organiser: bool, now: datetime) -> list[Snapshot]:
    written: list[str] = []
    try:
        with transaction.atomic():
            # One upload at a time per person, so two at once cannot pass the quota together.
            User.objects.select_for_update().filter(pk=actor.pk).first()
            _check_quota(actor, project, len(items))
            snapshots = [
                _create(actor, project, done, caption, by_organiser, now, written)
                for done, caption in items
            ]
            if by_organiser:
                transaction.on_commit(lambda: bump_cache_version(WALL_VERSION))
            else:
                _tell_organisers(actor, project, len(snapshots))
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return snapshots


def _check_quota(actor, project, adding: int) -> None:
    held = Snapshot.objects.filter(uploader=actor, project=project).count()
    if held + adding > MAX_PER_PERSON:
        raise ServiceError(
            "quota_reached",
            _(
                "Each person may add at most %(max)s photos to a project; you have "
                "%(held)s, so %(left)s more."
            )
            % {"max": MAX_PER_PERSON, "held": held, "left": max(0, MAX_PER_PERSON - held)},
            field="photos",
        )


def _write(data: bytes, now: datetime, written: list[str]) -> str:
    """Save under an unguessable name (128 random bits) and note it for the clean-up."""
    name = f"snapshots/{now:%Y/%m}/{get_random_string(26, NAME_ALPHABET)}.jpg"
    saved = default_storage.save(name, ContentFile(data))
    written.append(saved)
    return saved


def _create(actor, project, done, caption, by_organiser, now, written) -> Snapshot:
    snapshot = Snapshot.objects.create(
        project=project,
        uploader=actor,
        by_organiser=by_organiser,
        caption=caption,
        status=Snapshot.Status.APPROVED if by_organiser else Snapshot.Status.PENDING,
        image_name=_write(done.image.data, now, written),
        thumb_name=_write(done.thumb.data, now, written),
        width=done.image.width,
        height=done.image.height,
        thumb_width=done.thumb.width,
        thumb_height=done.thumb.height,
        created_at=now,
        moderated_at=now if by_organiser else None,
        moderated_by=actor if by_organiser else None,
    )
    audit_log(actor=actor, action="snapshot.uploaded", target=snapshot, project=project.pk)
    return snapshot


def _tell_organisers(actor, project, count: int) -> None:
    admins = Membership.objects.filter(
        organisation_id=project.organisation_id, status="active", role="admin"
    ).values_list("user_id", flat=True)
    title = ngettext(
        "%(count)s new photo of “%(project)s” awaits your approval",
        "%(count)s new photos of “%(project)s” await your approval",
        count,
    ) % {"count": count, "project": project.title}
    url = reverse("snapshots:gallery", args=[project.number]) + "?status=pending"
    notify_many(titles=dict.fromkeys(admins, title), kind="snapshot.pending", url=url)


# --- moderation -----------------------------------------------------------------------------


def _moderated(actor, snapshot: Snapshot) -> Snapshot:
    if not permissions.can_moderate_snapshots(actor, snapshot.project):
        raise NotAllowed(
            "not_organiser", _("Only the project's organiser may approve or hide its photos.")
        )
    return Snapshot.objects.select_for_update().get(pk=snapshot.pk)


def snapshot_approve(*, actor, snapshot: Snapshot, now: datetime | None = None) -> Snapshot:
    """Show the photo to everybody. Approving an approved photo changes nothing."""
    with transaction.atomic():
        locked = _moderated(actor, snapshot)
        if locked.status != Snapshot.Status.APPROVED:
            _decide(actor, locked, Snapshot.Status.APPROVED, "", now or timezone.now())
    return _reloaded(snapshot)


def snapshot_hide(
    *, actor, snapshot: Snapshot, reason: str = "", now: datetime | None = None
) -> Snapshot:
    """Take the photo off the public pages (the uploader is told, with the reason if any)."""
    reason = " ".join((reason or "").split())
    if len(reason) > REASON_MAX:
        raise ServiceError(
            "reason_too_long",
            _("The reason may be at most %(max)s characters.") % {"max": REASON_MAX},
            field="reason",
        )
    with transaction.atomic():
        locked = _moderated(actor, snapshot)
        if locked.status != Snapshot.Status.HIDDEN or locked.hidden_reason != reason:
            _decide(actor, locked, Snapshot.Status.HIDDEN, reason, now or timezone.now())
    return _reloaded(snapshot)


def _decide(actor, snapshot: Snapshot, status: str, reason: str, now: datetime) -> None:
    previous = snapshot.status
    snapshot.status, snapshot.hidden_reason = status, reason
    snapshot.moderated_at, snapshot.moderated_by = now, actor
    snapshot.save(update_fields=["status", "hidden_reason", "moderated_at", "moderated_by"])
    action = "snapshot.approved" if status == Snapshot.Status.APPROVED else "snapshot.hidden"
    audit_log(actor=actor, action=action, target=snapshot, previous=previous, reason=reason)
    transaction.on_commit(lambda: bump_cache_version(WALL_VERSION))
    if snapshot.uploader_id != actor.pk:
        _tell_uploader(snapshot, status, reason)


def _tell_uploader(snapshot: Snapshot, status: str, reason: str) -> None:
    project = Project.objects.only("title").get(pk=snapshot.project_id)
    if status == Snapshot.Status.APPROVED:
        title = _("Your photo of “%(project)s” is approved and shown to everybody")
        body = ""
    else:
        title = _("Your photo of “%(project)s” was hidden by the organiser")
        body = _("Reason: %(reason)s") % {"reason": reason} if reason else ""
    notify(
        user=snapshot.uploader,
        kind=f"snapshot.{status}",
        title=title % {"project": project.title},
        body=body,
        url=snapshot.get_absolute_url(),
    )


def _reloaded(snapshot: Snapshot) -> Snapshot:
    return Snapshot.objects.select_related(
        "project__organisation", "uploader__volunteer", "moderated_by"
    ).get(pk=snapshot.pk)


# --- deletion -------------------------------------------------------------------------------


def snapshot_delete(*, actor, snapshot: Snapshot) -> None:
    """Delete the uploader's own photo, row and files."""
    if not permissions.can_delete_snapshot(actor, snapshot):
        raise NotAllowed("not_uploader", _("Only the person who added a photo may delete it."))
    with transaction.atomic():
        locked = Snapshot.objects.select_for_update().filter(pk=snapshot.pk).first()
        if locked is None:  # deleted a moment ago (a double click): nothing left to do
            return
        names = (locked.image_name, locked.thumb_name)
        audit_log(
            actor=actor,
            action="snapshot.deleted",
            target=locked,
            project=locked.project_id,
            status=locked.status,
        )
        locked.delete()
        transaction.on_commit(lambda: _remove_files(names))
        transaction.on_commit(lambda: bump_cache_version(WALL_VERSION))


def _remove_files(names) -> None:
    for name in names:
        default_storage.delete(name)
