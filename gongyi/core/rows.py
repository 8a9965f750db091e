"""Model instances from hand-written SQL, for the few reads on the hottest path.

Building a SELECT through the ORM costs several times the CPU of sending the same read
written by hand (`bench/bench_row_reads.py`: 2.8x). On the signup path of a hot project
those reads were most of Python's time, so the token, the shift and the volunteer are read
this way there; everything else goes through the ORM. Column lists and value converters
come from the models, as the ORM's do, so they follow every migration and every database.
"""

from functools import cache

from django.db import connection, models


def columns(model: type[models.Model], alias: str) -> str:
    """The model's concrete columns, qualified with the table alias, in field order."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def instance(model: type[models.Model], values) -> models.Model:
    """A model instance from values in `columns()` order, as if the ORM had loaded it."""
    values = list(values)
    for i, convert, col in _converters(model):
        for converter in convert:
            values[i] = converter(values[i], col, connection)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(connection.alias, names, values)


@cache
def _converters(model: type[models.Model]) -> list:
    """Per column, the converters the ORM would apply (the database's, then the field's)."""
    found = []
    for i, field in enumerate(model._meta.concrete_fields):
        col = field.get_col(model._meta.db_table)
        convert = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convert:
            found.append((i, convert, col))
    return found


def fetch_one(sql: str, params) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
