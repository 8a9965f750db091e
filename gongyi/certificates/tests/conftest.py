"""Volunteers with ledger records, projects, the embedded font, for the certificate tests.

Records are appended straight to the ledger with a correct hash chain (seq, prev_hash, hash
as `gongyi.service.ledger` defines them), so `verify_ledger` would pass over them.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongyi.accounts.services import create_api_token
from gongyi.service import ledger
from gongyi.service.models import ServiceRecord
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_org, make_user, make_volunteer

__all__ = ["bearer", "make_project", "make_record", "make_shift"]


def make_record(
    volunteer, project, *, minutes: int = 120, served_on: date | None = None, shift=None, **extra
) -> ServiceRecord:
    """Append one record (source: entry) to the volunteer's chain."""
    last = (
        ServiceRecord.objects.filter(volunteer=volunteer)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, ledger.GENESIS)
    fields = dict(
        volunteer=volunteer,
        seq=seq,
        prev_hash=prev_hash,
        project=project,
        organisation=project.organisation,
        shift=shift,
        activity=project.title,
        served_on=served_on or date(2026, 3, 1),
        place="南京东路街道社区文化活动中心",
        content="社区服务",
        minutes=minutes,
        leader_name="李四",
        source=ServiceRecord.Source.ENTRY,
        created_at=timezone.now(),
    )
    fields.update(extra)
    record = ServiceRecord(**fields)
    record.hash = record.compute_hash()
    record.save(force_insert=True)
    return record


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


@pytest.fixture
def project(org):
    return make_project(org, title="社区老人智能手机培训")


@pytest.fixture
def other_project(district):
    other_org = make_org(district, name="黄浦区图书馆志愿服务队")
    return make_project(other_org, title="图书馆阅读推广")


@pytest.fixture
def holder(db):
    """梁小明, a volunteer who will hold certificates."""
    return make_volunteer(real_name="梁小明")


@pytest.fixture
def records(holder, project, other_project):
    """Three effective records: 150 + 90 min in `project`, 60 min in `other_project` (5.0 h)."""
    shift = make_shift(project, start=timezone.now() - timedelta(days=30), hours=3)
    return [
        make_record(holder, project, minutes=150, served_on=date(2026, 3, 1), shift=shift),
        make_record(holder, project, minutes=90, served_on=date(2026, 4, 2)),
        make_record(
            holder, other_project, minutes=60, served_on=date(2026, 5, 10), content="阅读推广"
        ),
    ]


@pytest.fixture
def other_volunteer(db):
    return make_volunteer(real_name="王大力")


@pytest.fixture
def staff_user(db):
    return make_user(is_staff=True, is_superuser=True)
