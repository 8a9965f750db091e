"""Refuse UPDATE and DELETE of service records in the database itself (invariant 4).

PostgreSQL: a PL/pgSQL trigger function raising on UPDATE or DELETE. SQLite: two triggers
that RAISE(ABORT). Other databases: nothing (the model and queryset still refuse).
The post_migrate handler in apps.py re-creates them if a later migration rebuilds the table.
"""

from django.db import migrations

from gongyi.service.ledger import trigger_sql


def create(apps, schema_editor):
    for sql in trigger_sql(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in trigger_sql(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
