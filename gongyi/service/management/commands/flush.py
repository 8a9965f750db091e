"""`manage.py flush`, aware of the ledger: Django's flush with the SQLite guard lifted meanwhile.

The ledger's triggers refuse DELETE of service records (they are append-only). PostgreSQL's
flush empties tables with TRUNCATE, which row triggers do not see; SQLite's flush uses
DELETE, which they refuse. Emptying the whole database (between transactional tests, before
a benchmark) is the one sanctioned exception, so this command, which replaces Django's own,
drops the SQLite triggers, flushes, and puts them back whatever happened.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from gongyi.service.ledger import ensure_append_only_triggers, trigger_sql


class Command(DjangoFlush):
    def handle(self, **options):
        using = options["database"]
        connection = connections[using]
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                for sql in trigger_sql("sqlite", create=False):
                    cursor.execute(sql)
        try:
            return super().handle(**options)
        finally:
            ensure_append_only_triggers(using=using)
