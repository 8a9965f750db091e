"""Project numbers stay unique when many organisers create projects at the same moment."""

import threading

import pytest
from django.db import connection, connections

from gongyi.projects import services
from gongyi.projects.models import Project
from gongyi.projects.tests.conftest import project_fields

CREATORS = 8


@pytest.mark.postgres
def test_simultaneous_creations_get_distinct_numbers(
    transactional_db, taxonomy, org, org_admin, district
):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    start = threading.Barrier(CREATORS)
    errors: list[Exception] = []

    def create():
        try:
            start.wait()
            services.project_create(actor=org_admin, org=org, **project_fields(district))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(CREATORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Project.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == CREATORS
    assert [n[-4:] for n in numbers] == [f"{i:04d}" for i in range(1, CREATORS + 1)]
