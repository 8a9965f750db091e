"""Types shared by the API routers: row ids and the one error body every router documents."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

# A row id as the databases can hold it: larger numbers would overflow SQLite's and
# PostgreSQL's 64-bit integers and end in a 500 instead of a clear 422.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """Every error answer: a stable code and a message in the caller's language."""

    code: str
    message: str
    field: str | None = None
    fields: list[str] | None = None
    errors: dict[str, list[str]] | None = None


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`response={200: X, **errors(401, 403, 404, 422)}`: document the error answers."""
    return dict.fromkeys(statuses, ErrorOut)
