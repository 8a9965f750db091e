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
    names, converters = _loading(model)
    values = list(values)
    for i, convert, col in converters:
        for converter in convert:
            values[i] = converter(values[i], col, connection)
    return model.from_db(connection.alias, names, values)


def instances(row, *models_: type[models.Model]) -> list[models.Model | None]:
    """One instance per model, from a row of their `columns()` side by side; None for a
    model whose primary key is NULL (an outer join that found nothing)."""
    found, start = [], 0
    for model in models_:
        values = row[start : start + width(model)]
        found.append(None if values[_pk_position(model)] is None else instance(model, values))
        start += width(model)
    return found


@cache
def _pk_position(model: type[models.Model]) -> int:
    return list(model._meta.concrete_fields).index(model._meta.pk)


@cache
def _loading(model: type[models.Model]) -> tuple[list[str], list]:
    """The attribute names, and per column the converters the ORM would apply (the
    database's, then the field's): worked out once per model."""
    names, converters = [], []
    for i, field in enumerate(model._meta.concrete_fields):
        names.append(field.attname)
        col = field.get_col(model._meta.db_table)
        convert = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convert:
            converters.append((i, convert, col))
    return names, converters


def fetch_one(sql: str, params) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
