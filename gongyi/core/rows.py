"""Model instances from hand-written SQL, for the few statements on the hottest path.

Building a SELECT through the ORM costs several times the CPU of sending the same read
written by hand (`bench/bench_row_reads.py`: 2.8x). On the signup path of a hot project
those reads were most of Python's time, so the token, the shift and the volunteer are read
this way there; everything else goes through the ORM. Column lists and value converters
come from the models, as the ORM's do, so they follow every migration and every database.

Two more savings, each a few per cent of a signup's CPU (counted in instructions with
valgrind, the signup burst's request in-process):
- `fetch_one` hands the statement to the driver's cursor itself, inside Django's error
  translation and broken-transaction check, and leaves out Django's cursor wrapper
  (~75,000 instructions a statement) whenever nothing would see the difference: no query
  log (DEBUG, `CaptureQueriesContext`, `assertNumQueries`), no execute wrapper, no health
  check due.
- `instance` fills a model instance's attributes directly, as `Model.__init__` would for
  a row (~40 % of the instance's cost), for models whose every field attribute is one of
  Django's own that stores the value as it is, and with no pre_init or post_init receiver;
  any other model goes through `Model.from_db`.
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor, ImageFileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init


def columns(model: type[models.Model], alias: str) -> str:
    """The model's concrete columns, qualified with the table alias, in field order."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def instance(model: type[models.Model], values) -> models.Model:
    """A model instance from values in `columns()` order, as if the ORM had loaded it."""
    names, converters = _loading(model)
    values = list(values)
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of the `connection` proxy looks it up
    for i, convert, col in converters:
        for converter in convert:
            values[i] = converter(values[i], col, db)
    if not _plain(model):
        return model.from_db(db.alias, names, values)
    new = model.__new__(model)
    new._state = state = ModelState()
    state.adding, state.db = False, db.alias
    new.__dict__.update(zip(names, values, strict=True))
    return new


# Django's field attributes whose __set__ (if any) only stores the value on a new instance.
_STORING = {DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor, ImageFileDescriptor}


@cache
def _plain(model: type[models.Model]) -> bool:
    """True when filling __dict__ gives what Model.__init__ gives for a full row."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return False
    return all(
        type(getattr(model, field.attname, None)) in _STORING
        for field in model._meta.concrete_fields
    )


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
    db = connections[DEFAULT_DB_ALIAS]
    if _seen(db):
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    # What Django's cursor does for a statement, less its wrapper: the same checks, the
    # driver's cursor as the backend makes it, its errors as Django's (IntegrityError, …).
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        cursor = db.create_cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchone()
        finally:
            cursor.close()


def _seen(db) -> bool:
    """Whether a statement must go through Django's cursor: logged (DEBUG, tests counting
    queries), wrapped (`execute_wrapper`), or the first of a request with health checks on,
    or no connection open yet."""
    return (
        db.connection is None
        or db.queries_logged
        or bool(db.execute_wrappers)
        or (db.health_check_enabled and not db.health_check_done)
    )
