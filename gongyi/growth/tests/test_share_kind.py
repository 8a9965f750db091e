"""The "card" share kind: a public identity card can be shared; a private one cannot."""

from django.urls import reverse

from gongyi.growth.models import CardSettings
from gongyi.sharing import kinds
from gongyi.sharing.models import ShareLink


def test_a_public_card_resolves_and_its_share_is_counted_on_its_link(client, volunteer):
    CardSettings.objects.create(volunteer=volunteer, is_public=True)
    target = kinds.resolve("card", volunteer.number)
    assert target.is_public and target.project_id is None
    assert target.path == reverse("growth:card", args=[volunteer.number])
    assert volunteer.real_name not in target.title  # masked
    response = client.post(reverse("sharing:share", args=["card", volunteer.number]))
    assert response.status_code == 200
    assert ShareLink.objects.get(kind="card", key=volunteer.number).shares == 1
    page = client.get(target.path).content.decode()
    assert 'id="share-panel"' in page and 'property="og:title"' in page


def test_a_private_or_unknown_card_cannot_be_shared(client, volunteer):
    assert kinds.resolve("card", volunteer.number) is None
    assert kinds.resolve("card", "V9999999999") is None
    response = client.post(reverse("sharing:share", args=["card", volunteer.number]))
    assert response.status_code == 404
    assert not ShareLink.objects.exists()
