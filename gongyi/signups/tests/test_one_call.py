"""The PostgreSQL signup runs in one statement (`signups_attempt`, migration 0002).

Its outcomes are the ORM path's: the whole suite runs on both databases. Here: that it is
one round trip, and that what it writes (the signup, audit entry and notice, in the
volunteer's language) is what the ORM path writes.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils.translation import override

from gongyi.core.models import AuditEntry
from gongyi.notices.models import Notice
from gongyi.notices.services import TITLE_LENGTH
from gongyi.signups.models import Signup
from gongyi.signups.services import SignupRefused, _outcome_notices, signup_create

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-call signup is PostgreSQL's"
)


@on_postgres
def test_a_signup_is_one_statement_and_a_refusal_too(shift, volunteers):
    with CaptureQueriesContext(connection) as queries:
        signup = signup_create(volunteer=volunteers[0], shift=shift)
    assert len(queries) == 1
    assert "signups_attempt" in queries[0]["sql"]
    assert signup.status == Signup.Status.CONFIRMED and signup.pk
    shift.project.status = "cancelled"
    shift.project.save(update_fields=["status"])
    with CaptureQueriesContext(connection) as queries, pytest.raises(SignupRefused):
        signup_create(volunteer=volunteers[1], shift=shift)
    assert len(queries) == 1


def test_the_rows_written_are_the_signup_its_audit_entry_and_its_notice(shift, volunteers):
    with override("en"):
        signup = signup_create(volunteer=volunteers[0], shift=shift, idempotency_key="k-1")
    stored = Signup.objects.get()
    assert (stored.pk, stored.status, stored.idempotency_key) == (signup.pk, "confirmed", "k-1")
    assert stored.created_at == signup.created_at and stored.reason == ""
    entry = AuditEntry.objects.get(action="signup.created")
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.data) == (
        volunteers[0].user_id,
        "signups.signup",
        str(signup.pk),
        {"status": "confirmed"},
    )
    notice = Notice.objects.get()
    assert notice.user_id == volunteers[0].user_id and notice.kind == "signup.confirmed"
    assert notice.title == f"Signup confirmed: {shift}"
    assert notice.url == reverse("signups:mine")


@pytest.mark.parametrize("title", ['关爱"老人", {周末} \\ 服务', "NULL", "a'b"])
def test_any_title_reaches_the_notice_as_it_is(shift, volunteers, title):
    shift.project.title = title
    shift.project.save(update_fields=["title"])
    signup_create(volunteer=volunteers[0], shift=shift)
    assert Notice.objects.get().title == f"报名成功：{shift}"[:TITLE_LENGTH]


def test_a_repeat_answers_with_the_whole_stored_signup(shift, volunteers):
    first = signup_create(volunteer=volunteers[0], shift=shift)
    again = signup_create(volunteer=volunteers[0], shift=shift)
    assert again.pk == first.pk and again.status == first.status
    assert again.created_at == first.created_at and again.shift == shift
    assert Signup.objects.count() == 1 and Notice.objects.count() == 1


def test_the_notices_kept_per_shift_follow_language_title_and_site(shift):
    notices, inbox = _outcome_notices(shift)
    assert notices.startswith('{{signup.confirmed,"报名成功') and inbox == reverse("signups:mine")
    assert _outcome_notices(shift) is _outcome_notices(shift)  # kept, not rebuilt
    with override("en"):
        assert '"Signup confirmed' in _outcome_notices(shift)[0]
    shift.project.title = "新的标题"
    assert "新的标题" in _outcome_notices(shift)[0]
    set_script_prefix("/d/jinjiang/")
    try:
        assert _outcome_notices(shift)[1].startswith("/d/jinjiang/")
    finally:
        set_script_prefix("/")
