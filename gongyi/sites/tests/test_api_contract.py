"""The sites API keeps the contract of its OpenAPI schema under generated input (schemathesis),
with sites to find, as a visitor and as the city admin, who reaches every write."""

import pytest
import schemathesis

from gongyi.accounts.services import create_api_token
from gongyi.core.tests.test_api_fuzz import CHECKS, FUZZ, keep_the_test_connection  # noqa: F401
from gongyi.sites.tests.conftest import make_site
from gongyi.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex="^/api/v1/sites"
)


@pytest.fixture
def sites(district, other_district):
    """Small generated slugs and district ids find something."""
    return [make_site(district, "ab"), make_site(other_district, "huangpu", host="")]


@pytest.mark.django_db
@pytest.mark.usefixtures("sites")
@schema.parametrize()
@FUZZ
def test_the_sites_api_keeps_its_contract_with_a_visitor(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.usefixtures("sites")
@schema.parametrize()
@FUZZ
def test_the_sites_api_keeps_its_contract_with_the_city_admin(case, city_admin):
    _, key = create_api_token(user=city_admin, name="fuzz")
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
