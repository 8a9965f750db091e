"""The demo builder's snapshots: drawn pictures, processed and approved like real uploads."""

import pytest

from gongyi.signups.tests.conftest import make_project
from gongyi.snapshots.demo import build_demo_snapshots
from gongyi.snapshots.models import Snapshot
from gongyi.snapshots.tests.conftest import media_files
from gongyi.testing.people import make_org

pytestmark = pytest.mark.django_db


def test_demo_snapshots_are_approved_and_safe_to_build_twice(org, district):
    published = [make_project(org) for _ in range(3)]
    make_project(org, status="draft")
    make_project(make_org(district), title="没有管理员的组织")  # nobody to upload as
    made = build_demo_snapshots(projects=2, per_project=3)
    assert 4 <= made <= 6  # 2 to 3 photos for each of 2 projects
    snapshots = Snapshot.objects.all()
    assert snapshots.count() == made and len(media_files()) == 2 * made
    assert {s.status for s in snapshots} == {"approved"}
    assert {s.project_id for s in snapshots} == {published[0].pk, published[1].pk}
    assert build_demo_snapshots(projects=1, per_project=2) >= 2  # the third project
    assert build_demo_snapshots(projects=5) == 0  # every eligible project has photos
