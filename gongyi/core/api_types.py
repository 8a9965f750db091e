"""Input types shared by the API routers."""

from typing import Annotated

from pydantic import Field

# A row id as the databases can hold it: larger numbers would overflow SQLite's and
# PostgreSQL's 64-bit integers and end in a 500 instead of a clear 422.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
