"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis).

Every operation gets generated input, as an anonymous caller and as a logged-in volunteer
with a bearer token; whatever the input, the answer is never a server error.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from gongyi.accounts.services import create_api_token
from gongyi.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every run: CI stays reproducible
)
# Closing the account would end the caller's session half-way through the run.
operations = schema.exclude(path="/api/v1/accounts/close")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI app, so do what Django's test client does: stop the
    request signals from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(volunteer, org) -> dict[str, str]:
    _, key = create_api_token(user=volunteer.user, name="fuzz")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@operations.parametrize()
@FUZZ
def test_api_never_answers_500_to_a_visitor(case):
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.django_db
@operations.parametrize()
@FUZZ
def test_api_never_answers_500_to_a_volunteer(case, bearer):
    case.call_and_validate(headers=bearer, checks=[not_a_server_error])
