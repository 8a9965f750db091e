"""The inbox: my notices, unread count, marking read; nobody reads another's notices."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from gongyi.accounts.services import create_api_token
from gongyi.notices.context_processors import inbox as inbox_context
from gongyi.notices.models import Notice
from gongyi.notices.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(volunteer):
    return [
        notify(user=volunteer.user, kind="signup.confirmed", title=f"报名成功 {i}", url="/")
        for i in range(3)
    ]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def test_inbox_lists_my_notices_with_the_unread_count(client, volunteer, notices):
    client.force_login(volunteer.user)
    page = client.get(reverse("notices:inbox")).content.decode()
    assert "报名成功 2" in page and "3 条未读" in page and "全部标为已读" in page


def test_inbox_in_english(client, volunteer, notices):
    client.force_login(volunteer.user)
    page = client.get(reverse("notices:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 unread" in page


def test_mark_one_and_all_read(client, volunteer, notices):
    client.force_login(volunteer.user)
    client.post(reverse("notices:read", args=[notices[0].pk]))
    assert Notice.objects.filter(read_at__isnull=True).count() == 2
    client.post(reverse("notices:read_all"))
    assert not Notice.objects.filter(read_at__isnull=True).exists()


def test_outsider_cannot_read_or_mark_someone_elses_notice(client, outsider, notices):
    client.force_login(outsider)
    assert "报名成功" not in client.get(reverse("notices:inbox")).content.decode()
    assert client.post(reverse("notices:read", args=[notices[0].pk])).status_code == 403
    client.post(reverse("notices:read_all"))
    assert Notice.objects.filter(read_at__isnull=True).count() == 3


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("notices:inbox"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_api_inbox_and_read(client, volunteer, outsider, notices):
    auth = bearer(volunteer.user)
    body = client.get("/api/v1/notices/", **auth).json()
    assert body["unread"] == 3 and len(body["items"]) == 3
    read = client.post(f"/api/v1/notices/{notices[0].pk}/read", **auth).json()
    assert read["read_at"] is not None
    assert client.post("/api/v1/notices/read-all", **auth).json() == {"marked": 2}
    other = bearer(outsider)
    assert client.post(f"/api/v1/notices/{notices[1].pk}/read", **other).status_code == 403
    assert client.get("/api/v1/notices/", **other).json()["count"] == 0
    assert client.get("/api/v1/notices/").status_code == 401
    assert client.post("/api/v1/notices/999999/read", **auth).status_code == 404


def test_context_processor_counts_unread(volunteer, notices):
    request = RequestFactory().get("/")
    request.user = volunteer.user
    assert str(inbox_context(request)["unread_notices"]) == "3"
