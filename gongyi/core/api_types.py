"""Types shared by the API routers: row ids, the one error body, and file answers.

Every operation lists the statuses it really answers, so the OpenAPI schema is a contract
that the schemathesis test (gongyi/core/tests/test_api_fuzz.py) holds the API to:

- 400 a service refused the request (`ServiceError`), or the body could not be read;
- 401 no session and no valid bearer token (operations that need a caller);
- 403 the caller has no role for this, or a session POST came without its CSRF token;
- 404 an id or number in the path names nothing the caller may see;
- 422 a parameter or a field is missing or invalid (the handler in gongyi/api.py);
- 429 too many attempts (codes, log-in).
"""

from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

# A row id as the databases can hold it: larger numbers would overflow SQLite's and
# PostgreSQL's 64-bit integers and end in a 500 instead of a clear 422.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """Every error answer: a stable code and a message in the caller's language."""

    code: str = Field(description="Stable, for programs: `unauthenticated`, `not_found`…")
    message: str = Field(description="For people, in the request's language.")
    field: str | None = Field(None, description="The input field the error is about.")
    fields: list[str] | None = Field(None, description="422: the invalid fields.")
    errors: dict[str, list[str]] | None = Field(None, description="Messages per field.")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`response={200: X, **errors(401, 403, 404, 422)}`: document the error answers."""
    return dict.fromkeys(statuses, ErrorOut)


def file_answer(*media_types: str, status: int = 200) -> dict[str, Any]:
    """`openapi_extra` for an operation that answers a file (with `response={200: None, …}`):
    the media types it may send, each a binary string."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {status: {"content": {kind: binary for kind in media_types}}}}
