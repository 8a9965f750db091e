"""The API keeps the contract its OpenAPI schema states (issue 3), checked by schemathesis.

Every operation gets generated input, as an anonymous caller and as a logged-in volunteer
with a bearer token; the organiser's answers the fuzzer cannot reach (roster, CSV and XLSX
exports, 204s) are called directly under the same checks. No operation is left out and no
check is loosened: when one fails, fix the API (document the real answer, or fix the bug).
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings
from ninja.openapi.schema import OpenAPISchema
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gongyi.accounts.services import create_api_token
from gongyi.api import api
from gongyi.notices.services import notify
from gongyi.projects.models import Category, Project, ServicePoint, Shift
from gongyi.signups.services import signup_create
from gongyi.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every run: CI stays reproducible
)
# Which checks, and why:
# - not_a_server_error: never a 5xx, whatever the input (invariant 7);
# - status_code_conformance: every status is one the operation documents, so a partner app
#   can rely on the list of answers in /api/v1/openapi.json;
# - content_type_conformance: the media type is the documented one (JSON, CSV, XLSX);
# - response_schema_conformance: the body matches its schema, errors included (ErrorOut:
#   `{"code", "message"}`), so clients can parse every answer the same way.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


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
def world(volunteer, org) -> dict:
    """Rows for the lists to show (so their success answers are checked too) and for small
    generated ids to find: a published project with a shift, the volunteer's signup on it
    and a notice in the volunteer's inbox."""
    now = timezone.now()
    category, _ = Category.objects.get_or_create(code="community", defaults={"name": "社区服务"})
    project = Project.objects.create(
        number="P310101202611230001",  # the example in the schema: the fuzzer tries it
        organisation=org,
        title="社区老人智能手机培训",
        category=category,
        district=org.district,
        recruit_start=now - timedelta(days=1),
        recruit_end=now + timedelta(days=5),
        service_start=(now + timedelta(days=6)).date(),
        service_end=(now + timedelta(days=30)).date(),
        contact_name="李四",
        contact_phone="13900001111",
        status=Project.Status.PUBLISHED,
        published_at=now,
    )
    point = ServicePoint.objects.create(project=project, name="服务点", address="南京东路1号")
    start = now + timedelta(days=7)
    shift = Shift.objects.create(
        project=project, point=point, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    signup_create(volunteer=volunteer, shift=shift)
    notify(user=volunteer.user, kind="fuzz.hello", title="欢迎")
    return {"project": project, "shift": shift}


@pytest.fixture
def bearer(volunteer) -> dict[str, str]:
    # The fuzzer never guesses the password, so /accounts/close cannot end this caller.
    _, key = create_api_token(user=volunteer.user, name="fuzz")
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db
@pytest.mark.usefixtures("world")
@schema.parametrize()
@FUZZ
def test_api_keeps_its_contract_with_a_visitor(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.usefixtures("world")
@schema.parametrize()
@FUZZ
def test_api_keeps_its_contract_with_a_volunteer(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


@pytest.mark.django_db
def test_api_keeps_its_contract_with_an_organiser(world, org_admin):
    """The fuzzer's volunteer never reaches the organisers' answers: the roster, the file
    exports (CSV, XLSX) and the empty 204s. The organiser calls them, under the same checks."""
    project, shift = world["project"], world["shift"]
    free_point = ServicePoint.objects.create(project=project, name="空服务点")
    start = shift.starts_at + timedelta(days=1)
    free_shift = Shift.objects.create(
        project=project, point=free_point, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    _, key = create_api_token(user=org_admin, name="fuzz")
    export = "/api/v1/signups/projects/{project_id}/export"
    calls = [
        ("GET", "/api/v1/projects/{number}", {"number": project.number}, None),
        ("GET", "/api/v1/signups/shifts/{shift_id}/roster", {"shift_id": shift.pk}, None),
        ("GET", export, {"project_id": project.pk}, {"format": "csv"}),
        ("GET", export, {"project_id": project.pk}, {"format": "xlsx"}),
        ("DELETE", "/api/v1/projects/shifts/{shift_id}", {"shift_id": free_shift.pk}, None),
        ("DELETE", "/api/v1/projects/points/{point_id}", {"point_id": free_point.pk}, None),
    ]
    for method, path, path_parameters, query in calls:
        case = schema[path][method].Case(path_parameters=path_parameters, query=query)
        response = case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
        assert response.status_code in (200, 204), (method, path, response.status_code)


def test_no_two_schemas_share_a_name(monkeypatch):
    """Ninja names each schema in the document by its class name alone, so two routers'
    `ProjectOut`s become one and an operation is documented with the other's fields."""
    clashes = set()
    add_definitions = OpenAPISchema.add_schema_definitions

    def add_noting_clashes(self, definitions):
        clashes.update(n for n, d in definitions.items() if self.schemas.get(n, d) != d)
        add_definitions(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add_noting_clashes)
    api.get_openapi_schema()
    assert not clashes, f"rename one of each: {sorted(clashes)}"


# --- what ninja and Django answer outside the operations, in the same JSON shape ----------


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)  # as browsers and partner apps really call


@pytest.mark.django_db
def test_a_post_without_any_log_in_is_told_to_log_in(strict_client):
    # Ninja checks CSRF before it looks for the session; without one the CSRF check is moot.
    response = strict_client.post("/api/v1/orgs/", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_session_post_without_its_csrf_token_is_refused_in_json(strict_client, volunteer, org):
    strict_client.force_login(volunteer.user)
    response = strict_client.post(f"/api/v1/orgs/{org.pk}/join", {}, "application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert response.json()["message"]


@pytest.mark.django_db
def test_an_unreadable_body_is_a_400_in_json(client):
    response = client.post("/api/v1/accounts/login", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.django_db
def test_a_wrong_method_is_a_405_in_json(client):
    response = client.delete("/api/v1/orgs/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["/api/v1/nothing/here/", "/api/v1/"])
def test_an_unknown_address_is_a_404_in_json(strict_client, method, path):
    response = getattr(strict_client, method)(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_address_without_its_slash_still_leads_to_it(client):
    response = client.get("/api/v1/orgs?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/orgs/?page=2"


def test_an_api_address_is_looked_for_among_its_routers_patterns_only():
    """The operations are grouped by their first segment (`GongyiAPI._get_urls`): a signup's
    address is tried against the groups before it, then against the signups router's own."""
    match = resolve("/api/v1/signups/shifts/5")
    assert match.url_name == "sign_up" and match.kwargs == {"shift_id": "5"}
    assert len(match.tried) < 25  # 58 with ninja's flat list
    assert reverse("api:sign_up", kwargs={"shift_id": 5}) == "/api/v1/signups/shifts/5"


@pytest.mark.django_db
def test_an_unknown_address_inside_a_router_is_a_404_in_json(strict_client):
    response = strict_client.get("/api/v1/signups/nothing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
