"""The "snapshot" share kind: approved photos of public projects get a short link and a poster."""

import io

from django.urls import reverse
from PIL import Image

from gongyi.core import fonts
from gongyi.sharing import kinds
from gongyi.sharing.models import ShareLink
from gongyi.snapshots import share_kind


def test_an_approved_photo_resolves_to_a_public_target_counted_under_its_project(approved):
    target = kinds.resolve("snapshot", approved.key)
    assert target.is_public and target.project_id == approved.project_id
    assert target.path == approved.get_absolute_url()
    assert target.image_path == reverse("snapshots:poster", args=[approved.key])


def test_pending_and_hidden_photos_and_junk_keys_resolve_to_nothing(pending, hidden):
    assert kinds.resolve("snapshot", pending.key) is None
    assert kinds.resolve("snapshot", hidden.key) is None
    assert kinds.resolve("snapshot", "no-such-key") is None


def test_sharing_a_photo_counts_a_share_for_its_project(client, approved):
    response = client.post(reverse("sharing:share", args=["snapshot", approved.key]))
    assert response.status_code == 200
    link = ShareLink.objects.get(kind="snapshot", key=approved.key)
    assert (link.project_id, link.shares) == (approved.project_id, 1)


def test_the_poster_is_a_phone_sized_png_in_chinese_with_every_glyph(client, approved, cjk_font):
    response = client.get(reverse("snapshots:poster", args=[approved.key]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (750, 1000)
    url = "http://testserver" + approved.get_absolute_url()
    _body, digest = share_kind.poster(approved, url)
    assert response["ETag"] == f'"{digest}"'
    texts = [approved.caption or approved.project.title, approved.project.title]
    assert not fonts.missing_glyphs("".join(texts))
    repeat = client.get(
        reverse("snapshots:poster", args=[approved.key]), HTTP_IF_NONE_MATCH=f'"{digest}"'
    )
    assert repeat.status_code == 304


def test_no_poster_for_a_photo_the_public_may_not_see(client, pending, hidden):
    for snapshot in (pending, hidden):
        assert client.get(reverse("snapshots:poster", args=[snapshot.key])).status_code == 404


def test_the_photo_page_carries_the_share_panel_and_meta_tags(client, approved):
    page = client.get(approved.get_absolute_url()).content.decode()
    assert (
        'property="og:image"' in page and reverse("snapshots:poster", args=[approved.key]) in page
    )
    assert 'id="share-panel"' in page
