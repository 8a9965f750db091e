"""Reads other apps build on: the public snapshot behind a key (for sharing)."""

import pytest

from gongyi.snapshots.selectors import public_snapshot

pytestmark = pytest.mark.django_db


def test_only_public_snapshots_resolve(approved, pending, hidden, project):
    assert public_snapshot(approved.key) == approved
    assert public_snapshot(approved.key).uploader_label == project.organisation.name
    for key in (pending.key, hidden.key, "AAAAAAAAAAAA", "../../etc", ""):
        assert public_snapshot(key) is None
    project.status = "cancelled"
    project.save(update_fields=["status"])
    assert public_snapshot(approved.key) is None
