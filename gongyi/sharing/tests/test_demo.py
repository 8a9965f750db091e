"""The demo data: short links with counts for published projects, safe to run twice."""

import pytest

from gongyi.sharing.demo import build_demo_shares
from gongyi.sharing.models import ShareLink
from gongyi.sharing.tests.conftest import make_project

pytestmark = pytest.mark.django_db


def test_demo_shares_give_published_projects_links_with_counts(org, draft):
    published = [make_project(org) for _ in range(4)]
    assert build_demo_shares(projects=3) == 3
    links = list(ShareLink.objects.select_related("project"))
    assert len(links) == 3 and all(link.project in published for link in links)
    assert all(link.visits >= 2 * link.shares for link in links)
    assert any(link.shares for link in links)
    assert build_demo_shares(projects=3) == 3  # again: the same links, new counts
    assert ShareLink.objects.count() == 3
