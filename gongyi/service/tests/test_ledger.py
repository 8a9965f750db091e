"""The ledger is append-only and tamper-evident: hash chains, triggers, verify_ledger."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from gongyi.service import ledger, services
from gongyi.service.models import AppendOnlyError, ServiceRecord
from gongyi.service.tests.conftest import attend, past_shift, place

pytestmark = pytest.mark.django_db
TABLE = ledger.TABLE


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_ledger", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def three_records(volunteer, project, leader) -> list[ServiceRecord]:
    """Three shifts on three days, each confirmed: seq 1, 2, 3 of one chain."""
    made = []
    for days in (4, 3, 2):
        shift = past_shift(project, ended_days_ago=days)
        attend(place(volunteer, shift))
        made += services.confirm_shift_hours(actor=leader, shift=shift).created
    return made


def raw_update(sql: str, params) -> None:
    """What a DBA could do by hand: change a row with the guard trigger switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks on the table
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")
        else:  # SQLite DDL is transactional: the test's rollback brings the triggers back
            cursor.execute(f"DROP TRIGGER {TABLE}_no_update")
            cursor.execute(f"DROP TRIGGER {TABLE}_no_delete")
            cursor.execute(sql, params)


def test_records_form_one_chain_per_volunteer(volunteer, project, leader):
    records = three_records(volunteer, project, leader)
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == ledger.GENESIS
    assert records[1].prev_hash == records[0].hash
    assert records[2].prev_hash == records[1].hash
    for record in ServiceRecord.objects.all():
        assert record.compute_hash() == record.hash
        assert len(record.hash) == 64


def test_hash_covers_every_content_field(record):
    stored = ServiceRecord.objects.get(pk=record.pk)
    assert stored.compute_hash() == stored.hash  # the same after a round trip to the database
    stored.minutes += 1
    assert stored.compute_hash() != stored.hash
    stored.minutes -= 1
    stored.place = stored.place + "!"
    assert stored.compute_hash() != stored.hash


def test_canonical_json_is_stable_and_chinese(record):
    text = ledger.canonical(ServiceRecord.objects.get(pk=record.pk).content_values())
    assert "人民广场服务点" in text and "\\u" not in text
    assert text.startswith(f"[{record.volunteer_id},1,")


def test_model_refuses_update_and_delete(record):
    record.minutes = 999
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        ServiceRecord.objects.filter(pk=record.pk).update(minutes=1)
    with pytest.raises(AppendOnlyError):
        ServiceRecord.objects.filter(pk=record.pk).delete()
    assert ServiceRecord.objects.get(pk=record.pk).minutes == 150


def test_database_trigger_refuses_raw_update_and_delete(record):
    for sql in (
        f"UPDATE {TABLE} SET minutes = 1 WHERE id = %s",
        f"DELETE FROM {TABLE} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [record.pk])
    assert ServiceRecord.objects.get(pk=record.pk).minutes == 150


def test_post_migrate_puts_the_triggers_back(record):
    with connection.cursor() as cursor:
        for sql in ledger.trigger_sql(connection.vendor, create=False):
            cursor.execute(sql)
    ledger.ensure_append_only_triggers(using="default")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET minutes = 1 WHERE id = %s", [record.pk])


def test_verify_ledger_passes_an_untouched_ledger(volunteer, project, leader):
    three_records(volunteer, project, leader)
    code, out = verify()
    assert code == 0
    assert "3 records of 1 volunteers" in out and "every chain holds" in out


def test_verify_ledger_names_a_row_changed_by_raw_sql(volunteer, project, leader):
    records = three_records(volunteer, project, leader)
    raw_update(f"UPDATE {TABLE} SET minutes = 600 WHERE id = %s", [records[1].pk])
    code, out = verify()
    assert code == 1
    assert (
        f"record {records[1].pk} (volunteer {volunteer.number}, seq 2): "
        "content does not match its hash"
    ) in out
    assert out.count("does not match") == 1  # the neighbours are not blamed


def test_verify_ledger_catches_a_recomputed_hash(volunteer, project, leader):
    """Re-hashing the changed row breaks the link from the next record instead."""
    records = three_records(volunteer, project, leader)
    changed = ServiceRecord.objects.get(pk=records[0].pk)
    changed.minutes = 1
    raw_update(
        f"UPDATE {TABLE} SET minutes = 1, hash = %s WHERE id = %s",
        [changed.compute_hash(), records[0].pk],
    )
    code, out = verify()
    assert code == 1
    assert f"record {records[1].pk} (volunteer {volunteer.number}, seq 2): previous hash" in out


def test_verify_ledger_catches_a_deleted_row(volunteer, project, leader):
    records = three_records(volunteer, project, leader)
    raw_update(f"DELETE FROM {TABLE} WHERE id = %s", [records[1].pk])
    code, out = verify()
    assert code == 1
    assert f"volunteer {volunteer.number}: seq 2 missing" in out


def test_check_rows_is_pure_python():
    rows = []
    prev = ledger.GENESIS
    for seq in (1, 2):
        values = [
            7,
            seq,
            1,
            1,
            None,
            None,
            None,
            "a",
            None,
            "p",
            "c",
            None,
            None,
            60,
            "l",
            "entry",
            None,
            "",
            None,
            None,
        ]
        digest = ledger.record_hash(prev, values)
        rows.append((seq, "V1", prev, digest, *values))
        prev = digest
    assert list(ledger.check_rows(rows)) == []
    tampered = [rows[0], (*rows[1][:17], 61, *rows[1][18:])]
    problems = list(ledger.check_rows(tampered))
    assert [p.text for p in problems] == ["content does not match its hash"]


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0.0"), (150, "2.5"), (100, "1.7"), (61, "1.0"), (3, "0.1")]
)
def test_hours_have_one_decimal(minutes, shown):
    assert ledger.hours(minutes) == shown


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_ledger_and_keeps_the_guard(volunteer, project, leader):
    """Transactional tests end with a flush: it must work with records present (SQLite
    flushes with DELETE), and the triggers must still refuse changes afterwards."""
    three_records(volunteer, project, leader)
    call_command("flush", interactive=False, verbosity=0)
    assert not ServiceRecord.objects.exists()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert {f"{TABLE}_no_update", f"{TABLE}_no_delete"} <= {r[0] for r in cursor}
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            assert f"{TABLE}_append_only" in {r[0] for r in cursor}
