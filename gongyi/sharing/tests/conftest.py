"""Projects in every status, a fake share kind, and browsers of several kinds."""

import datetime

import pytest
from django.utils import timezone

from gongyi.certificates.tests.conftest import bearer
from gongyi.orgs.models import Membership
from gongyi.projects.models import Project
from gongyi.sharing import kinds
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_user

__all__ = ["BROWSER", "WECHAT", "bearer", "make_project", "make_shift"]

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"
WECHAT = BROWSER + " MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN"


@pytest.fixture
def project(org):
    return make_project(org, title="长者数字生活智能手机培训", summary="手把手教社区老人用智能手机")


@pytest.fixture
def draft(org):
    return make_project(org, title="草稿项目", status=Project.Status.DRAFT, published_at=None)


@pytest.fixture
def cancelled(org):
    return make_project(
        org, title="已取消项目", status=Project.Status.CANCELLED, cancelled_at=timezone.now()
    )


@pytest.fixture
def closed(org):
    today = timezone.localdate()
    return make_project(
        org,
        title="已结项项目",
        status=Project.Status.CLOSED,
        service_start=today - datetime.timedelta(days=30),
        service_end=today - datetime.timedelta(days=1),
    )


@pytest.fixture
def leader(org):
    """A project leader of `org`: runs projects, does not manage them."""
    user = make_user(display_name="项目负责人")
    Membership.objects.create(organisation=org, user=user, role="leader", status="active")
    return user


@pytest.fixture
def fake_kind():
    """A share kind of the test's own ("fake"), as the card and snapshot apps will add.
    `pages` maps keys to targets; a test adds what it needs."""
    pages: dict[str, kinds.ShareTarget] = {}
    kinds.register("fake", pages.get, label="Fake page")
    yield pages
    kinds.unregister("fake")


def fake_target(key: str, *, project_id=None, is_public=True) -> kinds.ShareTarget:
    return kinds.ShareTarget(
        kind="fake",
        key=key,
        path=f"/fake/{key}/?tab=photos",
        title=f"假页面{key}",
        description="测试用的分享页面",
        image_path=None,
        project_id=project_id,
        is_public=is_public,
    )
