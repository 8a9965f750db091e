"""core.rows: instances read by hand equal the ORM's, converters included, on both databases."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongyi.accounts.api_auth import TokenAuth, token_hash
from gongyi.accounts.models import ApiToken, Volunteer
from gongyi.accounts.selectors import volunteer_of
from gongyi.core import rows
from gongyi.projects.models import Shift
from gongyi.signups import services as signup_services
from gongyi.signups.selectors import shift_to_sign_up
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_org, make_user, make_volunteer

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_volunteer_read_with_the_token_equals_the_orm_read_encrypted_fields_decrypted(rf):
    volunteer = make_volunteer(real_name="袁小明")
    ApiToken.objects.create(user=volunteer.user, name="t", key_hash=token_hash("v-key"))
    with CaptureQueriesContext(connection) as reads:
        user = TokenAuth().authenticate(rf.get("/"), "v-key")
        by_hand = user.volunteer
    assert field_values(by_hand) == field_values(Volunteer.objects.get(pk=volunteer.pk))
    assert by_hand.real_name == "袁小明" and by_hand.user is user
    assert not by_hand._state.adding  # saving it updates, as an ORM-loaded row would
    # One round trip on PostgreSQL (read and mark in one statement); SQLite marks apart.
    assert len(reads) == (1 if connection.vendor == "postgresql" else 2)


def test_a_token_of_a_plain_account_has_no_volunteer_and_asks_nothing_more(rf):
    user = make_user(display_name="普通账号")
    ApiToken.objects.create(user=user, name="t", key_hash=token_hash("u-key"))
    user = TokenAuth().authenticate(rf.get("/"), "u-key")
    with CaptureQueriesContext(connection) as reads:
        assert not hasattr(user, "volunteer")
    assert len(reads) == 0


def test_a_shift_and_its_project_read_by_hand_equal_the_orm_read(district):
    shift = make_shift(make_project(make_org(district)))
    by_hand = shift_to_sign_up(shift.pk)
    assert field_values(by_hand) == field_values(type(shift).objects.get(pk=shift.pk))
    assert field_values(by_hand.project) == field_values(shift.project.__class__.objects.get())


def test_an_unknown_shift_is_a_404():
    from django.http import Http404

    with pytest.raises(Http404):
        shift_to_sign_up(987654)


def test_a_token_read_by_hand_gives_its_user_and_marks_its_use(rf):
    user = make_user(display_name="接口用户")
    token = ApiToken.objects.create(user=user, name="t", key_hash=token_hash("secret-key"))
    request = rf.get("/")
    assert TokenAuth().authenticate(request, "secret-key") == user
    assert field_values(request.user) == field_values(type(user).objects.get(pk=user.pk))
    token.refresh_from_db()
    assert abs(timezone.now() - token.last_used_at).total_seconds() < 60
    assert TokenAuth().authenticate(rf.get("/"), "wrong-key") is None
    user.is_active = False
    user.save()
    assert TokenAuth().authenticate(rf.get("/"), "secret-key") is None


def test_columns_follow_the_model():
    names = rows.columns(Volunteer, "v").split(", ")
    assert len(names) == rows.width(Volunteer) == len(Volunteer._meta.concrete_fields)
    assert names[0] == f'v."{Volunteer._meta.pk.column}"'
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_volunteer_a_token_brought_is_the_one_every_app_gets_without_a_read(rf):
    volunteer = make_volunteer(real_name="袁小明")
    ApiToken.objects.create(user=volunteer.user, name="t", key_hash=token_hash("w-key"))
    user = TokenAuth().authenticate(rf.get("/"), "w-key")
    with CaptureQueriesContext(connection) as reads:
        assert volunteer_of(user) is user.volunteer
        assert signup_services.volunteer_of(user) is user.volunteer
    assert len(reads) == 0


def test_an_instance_filled_by_hand_is_the_one_from_db_would_give(district):
    shift = make_shift(make_project(make_org(district)))
    values = Shift.objects.filter(pk=shift.pk).values_list(
        *[f.attname for f in Shift._meta.concrete_fields]
    )[0]
    by_hand, by_django = rows.instance(Shift, values), Shift.from_db("default", None, values)
    assert rows._plain(Shift)
    assert {k: v for k, v in vars(by_hand).items() if k != "_state"} == {
        k: v for k, v in vars(by_django).items() if k != "_state"
    }
    assert (by_hand._state.adding, by_hand._state.db) == (False, by_django._state.db)
    assert by_hand.project == shift.project  # relations load as usual


def test_a_model_with_a_post_init_receiver_is_built_by_django(district):
    shift = make_shift(make_project(make_org(district)))
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Shift)
    rows._plain.cache_clear()
    try:
        assert not rows._plain(Shift)
        rows.instance(Shift, [getattr(shift, f.attname) for f in Shift._meta.concrete_fields])
    finally:
        post_init.disconnect(receiver, sender=Shift)
        rows._plain.cache_clear()
    assert seen == [shift.pk]


def test_a_statement_outside_djangos_cursor_still_raises_djangos_errors():
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.fetch_one(
            f"INSERT INTO {ApiToken._meta.db_table} (user_id, name, key_hash, created_at)"
            " VALUES (NULL, 'x', 'y', %s) RETURNING id",
            [connection.ops.adapt_datetimefield_value(timezone.now())],
        )


def test_a_statement_is_seen_by_whoever_counts_queries():
    assert rows.fetch_one("SELECT 1", []) == (1,)
    with CaptureQueriesContext(connection) as seen:
        assert rows.fetch_one("SELECT %s", [2]) == (2,)
    assert len(seen) == 1
    calls = []

    def counting(execute, sql, params, many, context):
        calls.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        rows.fetch_one("SELECT 3", [])
    assert calls == ["SELECT 3"]
