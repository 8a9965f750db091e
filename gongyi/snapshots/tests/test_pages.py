"""The pages: wall, gallery, upload, one snapshot, my photos, moderation; and the image files."""

import pytest
from django.urls import reverse

from gongyi.notices.models import Notice
from gongyi.signups.tests.conftest import make_project
from gongyi.snapshots import services
from gongyi.snapshots.models import Snapshot
from gongyi.snapshots.tests.conftest import bearer, gps_photo, media_files, photo

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def url(name: str, *args) -> str:
    return reverse(f"snapshots:{name}", args=args)


def many_snapshots(project, user, n: int, *, status="approved", by_organiser=True):
    """Rows without files, for the list pages' query counts."""
    Snapshot.objects.bulk_create(
        Snapshot(
            project=project, uploader=user, status=status, by_organiser=by_organiser,
            image_name="x", thumb_name="y", width=1, height=1, thumb_width=1, thumb_height=1,
        )
        for _ in range(n)
    )  # fmt: skip


# --- the wall -------------------------------------------------------------------------------


def test_wall_shows_approved_photos_only(client, approved, pending, hidden, project):
    page = html(client.get(url("wall")))
    assert approved.thumb_url in page and project.title in page
    assert pending.thumb_url not in page and hidden.thumb_url not in page


def test_wall_leaves_out_photos_of_cancelled_projects(client, approved, project):
    project.status = "cancelled"
    project.save(update_fields=["status"])
    assert approved.thumb_url not in html(client.get(url("wall")))


def test_wall_forgets_a_hidden_photo_at_once(
    client, approved, org_admin, django_capture_on_commit_callbacks
):
    assert approved.thumb_url in html(client.get(url("wall")))  # now in the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.snapshot_hide(actor=org_admin, snapshot=approved)
    assert approved.thumb_url not in html(client.get(url("wall")))


def test_wall_pages_and_filters_by_city(client, project, org_admin, other_district):
    many_snapshots(project, org_admin, 30)
    first, second = client.get(url("wall")), client.get(url("wall") + "?page=2")
    assert html(first).count('class="snap-cell"') == 24 and "page=2" in html(first)
    assert html(second).count('class="snap-cell"') == 6
    city = project.district.city
    assert html(client.get(url("wall") + f"?city={city.pk}")).count('class="snap-cell"') == 24
    assert client.get(url("wall") + "?page=junk&city=junk").status_code == 200


def test_wall_has_no_n_plus_1(client, project, org_admin, django_assert_max_num_queries):
    many_snapshots(project, org_admin, 24)
    with django_assert_max_num_queries(4):
        response = client.get(url("wall"))
    assert html(response).count('class="snap-cell"') == 24


# --- a project's gallery --------------------------------------------------------------------


def test_gallery_for_the_public(client, approved, pending, hidden):
    page = html(client.get(url("gallery", approved.project.number)))
    assert approved.thumb_url in page
    assert pending.thumb_url not in page and hidden.thumb_url not in page
    assert url("upload", approved.project.number) not in page  # a visitor cannot add photos
    assert url("approve", approved.key) not in page


def test_gallery_for_the_organiser(client, org_admin, approved, pending, hidden):
    client.force_login(org_admin)
    page = html(client.get(url("gallery", pending.project.number)))
    for s in (approved, pending, hidden):
        assert s.thumb_url in page
    assert url("approve", pending.key) in page and url("hide", pending.key) in page
    assert url("upload", pending.project.number) in page
    only = html(client.get(url("gallery", pending.project.number) + "?status=pending"))
    assert pending.thumb_url in only and approved.thumb_url not in only


def test_gallery_for_an_uploader(client, served, approved, pending, hidden):
    client.force_login(served.user)
    page = html(client.get(url("gallery", pending.project.number)))
    assert pending.thumb_url in page and hidden.thumb_url in page  # their own
    assert url("delete", pending.key) in page and url("approve", pending.key) not in page
    assert url("upload", pending.project.number) in page


def test_gallery_of_a_draft_is_404_to_the_public(client, outsider, org):
    draft = make_project(org, status="draft")
    assert client.get(url("gallery", draft.number)).status_code == 404
    client.force_login(outsider)
    assert client.get(url("gallery", draft.number)).status_code == 404
    assert client.get(url("gallery", "P-nothing")).status_code == 404


def test_gallery_has_no_n_plus_1(client, project, org_admin, served, django_assert_max_num_queries):
    many_snapshots(project, served.user, 12, status="pending", by_organiser=False)
    many_snapshots(project, org_admin, 12)
    client.force_login(org_admin)
    with django_assert_max_num_queries(16):
        response = client.get(url("gallery", project.number))
    assert html(response).count('class="snap-cell"') == 24
    assert "袁**" in html(response) and "袁小明" not in html(response)


# --- uploading ------------------------------------------------------------------------------


def test_upload_needs_a_log_in(client, project):
    response = client.get(url("upload", project.number))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "signed_up"])
def test_upload_refuses_who_did_not_serve_with_a_reason(client, request, project, who):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    page = client.get(url("upload", project.number))
    assert page.status_code == 403
    assert "只有项目的组织方和参与过该项目服务的志愿者可以添加照片。" in html(page)
    posted = client.post(url("upload", project.number), {"photos": [photo()]})
    assert posted.status_code == 403 and not Snapshot.objects.exists()


def test_a_volunteer_uploads_photos_with_captions(client, project, checked_out, org_admin):
    client.force_login(checked_out.user)
    form = client.get(url("upload", project.number))
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in html(form)
    response = client.post(
        url("upload", project.number),
        {"photos": [photo("a.jpg", gps_photo()), photo("b.jpg")], "captions": "第一张\n第二张\n"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("gallery", project.number)
    made = Snapshot.objects.order_by("pk")
    assert [s.caption for s in made] == ["第一张", "第二张"]
    assert {s.status for s in made} == {"pending"}
    assert Notice.objects.filter(user=org_admin, kind="snapshot.pending").exists()


def test_a_bad_file_shows_a_clear_error_and_saves_nothing(client, project, served):
    client.force_login(served.user)
    response = client.post(
        url("upload", project.number),
        {"photos": [photo(), photo("notes.jpg", b"plain text", "image/jpeg")], "captions": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Photo 2 (notes.jpg) is not a JPEG, PNG or WebP image." in html(response)
    assert not Snapshot.objects.exists() and media_files() == []


def test_too_many_photos_in_chinese(client, project, served):
    client.force_login(served.user)
    response = client.post(url("upload", project.number), {"photos": [photo() for _ in range(10)]})
    assert response.status_code == 400
    assert "每次最多添加 9 张照片" in html(response)
    assert not Snapshot.objects.exists()


def test_upload_without_files_is_a_form_error(client, project, served):
    client.force_login(served.user)
    response = client.post(url("upload", project.number), {"captions": "x"})
    assert response.status_code == 400 and not Snapshot.objects.exists()


# --- one snapshot and its files -------------------------------------------------------------


def test_snapshot_page_is_public_once_approved(client, pending, org_admin, served):
    services.snapshot_approve(actor=org_admin, snapshot=pending)
    page = html(client.get(url("detail", pending.key)))
    assert pending.image_url in page and "教老人用手机" in page
    assert "袁**" in page and "袁小明" not in page  # masked uploader
    assert pending.project.get_absolute_url() in page
    assert pending.image_name not in page and pending.thumb_name not in page


def test_organiser_photos_show_the_organisation(client, approved):
    assert approved.project.organisation.name in html(client.get(url("detail", approved.key)))


def test_pending_and_hidden_pages_are_404_to_others(client, outsider, pending, hidden):
    for snapshot in (pending, hidden):
        assert client.get(url("detail", snapshot.key)).status_code == 404
    client.force_login(outsider)
    for snapshot in (pending, hidden):
        assert client.get(url("detail", snapshot.key)).status_code == 404
    assert client.get(url("detail", "no-such-thing")).status_code == 404


def test_uploader_and_organiser_see_a_hidden_photo(client, hidden, served, org_admin):
    client.force_login(served.user)
    page = html(client.get(url("detail", hidden.key)))
    assert "照片模糊" in page and url("delete", hidden.key) in page
    client.force_login(org_admin)
    page = html(client.get(url("detail", hidden.key)))
    assert url("approve", hidden.key) in page and url("delete", hidden.key) not in page


def test_approved_images_are_served_with_long_cache_headers(client, approved):
    for address in (approved.image_url, approved.thumb_url):
        response = client.get(address)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
        assert response["Cache-Control"] == "public, max-age=2592000, immutable"
        headers = str(response.headers)
        assert approved.image_name.rsplit("/", 1)[1] not in headers
        assert approved.thumb_name.rsplit("/", 1)[1] not in headers
        again = client.get(address, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304


def test_hidden_and_pending_images_are_never_served_to_the_public(
    client, outsider, pending, hidden
):
    for snapshot in (pending, hidden):
        for address in (snapshot.image_url, snapshot.thumb_url):
            assert client.get(address).status_code == 404
    client.force_login(outsider)
    assert client.get(hidden.image_url).status_code == 404
    assert client.get(f"/media/{hidden.image_name}").status_code == 404  # no media serving


def test_uploader_sees_their_pending_image_privately(client, pending, served):
    client.force_login(served.user)
    response = client.get(pending.image_url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    client.logout()
    by_token = client.get(pending.thumb_url, **bearer(served.user))
    assert by_token.status_code == 200


def test_a_missing_file_is_404(client, approved):
    from django.core.files.storage import default_storage

    default_storage.delete(approved.image_name)
    assert client.get(approved.image_url).status_code == 404


# --- moderation and deletion ----------------------------------------------------------------


def test_organiser_approves_and_hides_from_the_gallery(client, org_admin, pending):
    client.force_login(org_admin)
    back = url("gallery", pending.project.number) + "?status=pending"
    response = client.post(url("approve", pending.key), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    pending.refresh_from_db()
    assert pending.status == "approved"
    response = client.post(url("hide", pending.key), {"reason": "与项目无关"})
    assert response["Location"] == url("gallery", pending.project.number)
    pending.refresh_from_db()
    assert pending.status == "hidden" and pending.hidden_reason == "与项目无关"


def test_moderation_refuses_a_long_reason(client, org_admin, pending):
    client.force_login(org_admin)
    client.post(url("hide", pending.key), {"reason": "长" * 201})
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_next_must_be_our_own_address(client, org_admin, pending):
    client.force_login(org_admin)
    response = client.post(url("approve", pending.key), {"next": "https://evil.example/"})
    assert response["Location"] == url("gallery", pending.project.number)


@pytest.mark.parametrize("who", ["outsider", "served"])
def test_others_cannot_moderate(client, request, pending, who):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    assert client.post(url("approve", pending.key)).status_code == 403
    assert client.post(url("hide", pending.key)).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_visitors_are_sent_to_log_in_and_get_is_refused(client, org_admin, pending):
    for name in ("approve", "hide", "delete"):
        response = client.post(url(name, pending.key))
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    client.force_login(org_admin)
    assert client.get(url("approve", pending.key)).status_code == 405


def test_uploader_deletes_from_the_snapshot_page(client, served, pending):
    client.force_login(served.user)
    response = client.post(url("delete", pending.key), {"next": url("detail", pending.key)})
    assert response["Location"] == url("mine")
    assert not Snapshot.objects.exists()


def test_others_cannot_delete(client, org_admin, outsider, pending):
    for user in (org_admin, outsider):
        client.force_login(user)
        assert client.post(url("delete", pending.key)).status_code == 403
    assert Snapshot.objects.filter(pk=pending.pk).exists()


# --- my photos ------------------------------------------------------------------------------


def test_my_photos(client, served, pending, hidden, approved, django_assert_max_num_queries):
    assert client.get(url("mine")).status_code == 302
    client.force_login(served.user)
    with django_assert_max_num_queries(8):
        page = html(client.get(url("mine")))
    assert pending.thumb_url in page and hidden.thumb_url in page and "照片模糊" in page
    assert approved.thumb_url not in page  # the organiser's, not mine


# --- the strip on the project page ----------------------------------------------------------


def test_project_page_shows_a_strip_of_approved_photos(client, project, approved, pending):
    page = html(client.get(project.get_absolute_url()))
    assert approved.thumb_url in page and pending.thumb_url not in page
    assert url("gallery", project.number) in page and "项目剪影" in page


def test_project_page_in_english_without_photos(client, project):
    page = html(client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "No photos of this project yet." in page
