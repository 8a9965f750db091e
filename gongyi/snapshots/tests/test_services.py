"""Uploading, moderating and deleting snapshots: who may, what is stored, what is refused."""

import io

import pytest
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image

from gongyi import permissions
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.core.page_cache import cache_version
from gongyi.notices.models import Notice
from gongyi.projects.models import Project
from gongyi.signups.tests.conftest import make_project
from gongyi.snapshots import services
from gongyi.snapshots.models import Snapshot
from gongyi.snapshots.tests.conftest import CAMERA, gps_photo, media_files, photo

pytestmark = pytest.mark.django_db


def stored(name: str) -> tuple[Image.Image, bytes]:
    with default_storage.open(name, "rb") as file:
        data = file.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return image, data


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# --- who may upload -------------------------------------------------------------------------


def test_who_served_the_project(project, served, checked_out, signed_up, outsider, org_admin):
    assert permissions.served_project(served.user, project)  # confirmed hours
    assert permissions.served_project(checked_out.user, project)  # checked out, not confirmed
    assert not permissions.served_project(signed_up.user, project)  # signed up only
    assert not permissions.served_project(outsider, project)
    assert permissions.can_upload_snapshot(org_admin, project)
    assert not permissions.can_upload_snapshot(signed_up.user, project)


def test_a_record_in_another_project_does_not_count(org, served):
    other = make_project(org, title="另一个项目")
    assert not permissions.can_upload_snapshot(served.user, other)


@pytest.mark.parametrize("who", ["outsider", "signed_up", "leader"])
def test_people_who_did_not_serve_are_refused_and_nothing_is_saved(request, project, who):
    if who == "leader":
        from gongyi.orgs.models import Membership
        from gongyi.testing.people import make_user

        user = make_user()
        Membership.objects.create(
            organisation=project.organisation, user=user, role="leader", status="active"
        )
    else:
        user = request.getfixturevalue(who)
        user = getattr(user, "user", user)
    with pytest.raises(NotAllowed) as refused:
        services.snapshot_upload(actor=user, project=project, photos=[photo()])
    assert refused.value.status == 403 and refused.value.code == "not_served"
    assert "参与过该项目服务的志愿者" in str(refused.value.message)  # zh-hans by default
    with translation.override("en"), pytest.raises(NotAllowed) as refused:
        services.snapshot_upload(actor=user, project=project, photos=[photo()])
    assert "volunteers who served" in str(refused.value.message)
    assert not Snapshot.objects.exists() and media_files() == []


# --- what is stored -------------------------------------------------------------------------


def test_organiser_photos_are_approved_at_once(project, org_admin):
    version = cache_version(services.WALL_VERSION)
    made = services.snapshot_upload(
        actor=org_admin, project=project, photos=[photo(), photo()], captions=["合影"]
    )
    assert [s.status for s in made] == ["approved", "approved"]
    assert [s.caption for s in made] == ["合影", ""]
    assert all(s.by_organiser and s.moderated_by == org_admin for s in made)
    assert actions() == ["snapshot.uploaded", "snapshot.uploaded"]
    assert not Notice.objects.exists()  # nobody to ask
    assert len(media_files()) == 4  # a photo and a thumbnail each, nothing else
    assert cache_version(services.WALL_VERSION) == version  # moved on only once committed


def test_the_wall_moves_on_when_committed(project, org_admin, django_capture_on_commit_callbacks):
    version = cache_version(services.WALL_VERSION)
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_upload(actor=org_admin, project=project, photos=[photo()])
    assert cache_version(services.WALL_VERSION) > version


def test_volunteer_photos_wait_and_the_organiser_is_told(project, served, org_admin):
    made = services.snapshot_upload(
        actor=served.user, project=project, photos=[photo(), photo(), photo()]
    )
    assert {s.status for s in made} == {"pending"} and not made[0].by_organiser
    notice = Notice.objects.get(user=org_admin)
    assert notice.kind == "snapshot.pending" and "3" in notice.title
    assert notice.url.endswith(f"/snapshots/project/{project.number}/?status=pending")


def test_exif_and_gps_are_gone_after_upload(project, checked_out):
    [snapshot] = services.snapshot_upload(
        actor=checked_out.user, project=project, photos=[photo("IMG_0042.jpg", gps_photo())]
    )
    for name in (snapshot.image_name, snapshot.thumb_name):
        image, data = stored(name)
        assert len(image.getexif()) == 0 and image.getexif().get_ifd(0x8825) == {}
        assert "exif" not in image.info and b"Exif\x00\x00" not in data
        assert CAMERA.encode() not in data and b"home address" not in data
        assert image.size == (200, 320)  # upright: the camera's orientation was applied
    assert (snapshot.width, snapshot.height) == (200, 320)


def test_files_get_unguessable_names_and_no_original_is_kept(project, org_admin):
    [snapshot] = services.snapshot_upload(
        actor=org_admin, project=project, photos=[photo("IMG_0042.jpg", gps_photo())]
    )
    names = [snapshot.image_name, snapshot.thumb_name]
    assert all(n.startswith("snapshots/") and n.endswith(".jpg") for n in names)
    assert all(len(n.rsplit("/", 1)[1]) == 30 for n in names)  # 26 random characters
    assert "IMG_0042" not in "".join(names) and snapshot.key not in "".join(names)
    assert len(media_files()) == 2


# --- refusals save nothing ------------------------------------------------------------------


def refused(**kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        services.snapshot_upload(**kwargs)
    assert not Snapshot.objects.exists() and media_files() == []
    assert not Notice.objects.exists() and not AuditEntry.objects.exists()
    return caught.value


def test_one_bad_file_refuses_the_whole_upload(project, served):
    text = photo("notes.jpg", b"just some text, not a photo", "image/jpeg")
    error = refused(actor=served.user, project=project, photos=[photo(), text, photo()])
    assert error.code == "not_an_image" and "2" in str(error.message)
    assert "notes.jpg" in str(error.message)


def test_an_oversize_file_is_refused(project, served):
    big = photo("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024))
    assert refused(actor=served.user, project=project, photos=[big]).code == "photo_too_large"


def test_upload_counts_are_limited(project, served):
    ten = [photo() for _ in range(10)]
    assert refused(actor=served.user, project=project, photos=ten).code == "too_many_photos"
    assert refused(actor=served.user, project=project, photos=[]).code == "no_photos"


def test_captions_are_checked(project, served):
    error = refused(actor=served.user, project=project, photos=[photo()], captions=["a", "b"])
    assert error.code == "too_many_captions" and error.field == "captions"
    long = refused(actor=served.user, project=project, photos=[photo()], captions=["字" * 201])
    assert long.code == "caption_too_long"


def test_each_person_adds_at_most_30_photos_to_a_project(project, served):
    for _ in range(29):
        Snapshot.objects.create(
            project=project, uploader=served.user, image_name="x", thumb_name="y",
            width=1, height=1, thumb_width=1, thumb_height=1,
        )  # fmt: skip
    before = Snapshot.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.snapshot_upload(actor=served.user, project=project, photos=[photo(), photo()])
    assert caught.value.code == "quota_reached" and "1" in str(caught.value.message)
    assert Snapshot.objects.count() == before and media_files() == []
    services.snapshot_upload(actor=served.user, project=project, photos=[photo()])
    assert Snapshot.objects.count() == 30


@pytest.mark.parametrize("status", [Project.Status.DRAFT, Project.Status.CANCELLED])
def test_only_public_projects_take_photos(org, org_admin, status):
    draft = make_project(org, status=status)
    error = refused(actor=org_admin, project=draft, photos=[photo()])
    assert error.code == "project_not_public"


def test_files_written_before_a_failure_are_removed(project, org_admin, monkeypatch):
    calls = []

    def failing_audit(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_log", failing_audit)
    with pytest.raises(RuntimeError):
        services.snapshot_upload(actor=org_admin, project=project, photos=[photo(), photo()])
    assert not Snapshot.objects.exists() and media_files() == []


# --- moderation -----------------------------------------------------------------------------


def test_organiser_approves_and_the_uploader_is_told(pending, org_admin, served):
    snapshot = services.snapshot_approve(actor=org_admin, snapshot=pending)
    assert snapshot.status == "approved" and snapshot.moderated_by == org_admin
    notice = Notice.objects.get(user=served.user)
    assert notice.kind == "snapshot.approved" and notice.url == snapshot.get_absolute_url()
    services.snapshot_approve(actor=org_admin, snapshot=snapshot)  # again: nothing changes
    assert actions().count("snapshot.approved") == 1
    assert Notice.objects.filter(user=served.user).count() == 1


def test_organiser_hides_with_a_reason(pending, org_admin, served):
    snapshot = services.snapshot_hide(actor=org_admin, snapshot=pending, reason=" 照片 模糊 ")
    assert snapshot.status == "hidden" and snapshot.hidden_reason == "照片 模糊"
    entry = AuditEntry.objects.get(action="snapshot.hidden")
    assert entry.data == {"previous": "pending", "reason": "照片 模糊"}
    assert "照片 模糊" in Notice.objects.get(user=served.user).body
    back = services.snapshot_approve(actor=org_admin, snapshot=snapshot)
    assert back.status == "approved" and back.hidden_reason == ""


def test_a_reason_too_long_changes_nothing(pending, org_admin):
    with pytest.raises(ServiceError) as caught:
        services.snapshot_hide(actor=org_admin, snapshot=pending, reason="长" * 201)
    assert caught.value.code == "reason_too_long"
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize("who", ["outsider", "served", "checked_out"])
def test_only_the_organiser_moderates(request, pending, who):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    for call in (services.snapshot_approve, services.snapshot_hide):
        with pytest.raises(NotAllowed) as caught:
            call(actor=user, snapshot=pending)
        assert caught.value.code == "not_organiser"
    pending.refresh_from_db()
    assert pending.status == "pending"


# --- deletion -------------------------------------------------------------------------------


def test_the_uploader_deletes_their_photo_and_its_files(
    pending, served, django_capture_on_commit_callbacks
):
    assert len(media_files()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_delete(actor=served.user, snapshot=pending)
    assert not Snapshot.objects.exists() and media_files() == []
    assert actions()[-1] == "snapshot.deleted"
    services.snapshot_delete(actor=served.user, snapshot=pending)  # a double click: no error


@pytest.mark.parametrize("who", ["org_admin", "outsider", "checked_out"])
def test_nobody_else_deletes_a_photo(request, pending, who):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed) as caught:
        services.snapshot_delete(actor=getattr(user, "user", user), snapshot=pending)
    assert caught.value.code == "not_uploader"
    assert Snapshot.objects.filter(pk=pending.pk).exists() and len(media_files()) == 2
