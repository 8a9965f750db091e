"""Demo projects: realistic, valid, searchable, and built in bulk."""

import datetime
import random
import re

from django.db.models import F

from gongyi.orgs.models import Organisation
from gongyi.projects import selectors
from gongyi.projects.demo import build_demo_projects
from gongyi.projects.models import Project, ServicePoint, Shift
from gongyi.testing.people import make_org


def test_demo_projects_are_valid_and_searchable(
    taxonomy, org, other_district, django_assert_max_num_queries
):
    orgs = [
        org,
        make_org(other_district),
        make_org(other_district, status=Organisation.Status.PENDING),
    ]
    today = datetime.date.today()
    with django_assert_max_num_queries(15):
        built = build_demo_projects(rng=random.Random(7), orgs=orgs, today=today, count=120)
    assert Project.objects.count() == 120 == len(built.projects)
    numbers = list(Project.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 120 and all(re.fullmatch(r"P\d{6}\d{8}\d{4}", n) for n in numbers)
    assert not Project.objects.filter(organisation__status="pending").exists()
    assert (
        Project.objects.filter(status="draft").exists()
        or Project.objects.filter(status="published").count() == 120
    )
    assert ServicePoint.objects.count() >= 120 and Shift.objects.count() >= 240
    assert not Shift.objects.filter(ends_at__lte=F("starts_at")).exists()
    assert not Shift.objects.filter(taken__gt=0).exists()  # places are filled by signups
    assert all(taken >= 1 for taken in built.wanted_taken.values())
    capacities = dict(Shift.objects.values_list("pk", "capacity"))
    assert all(
        capacities[pk] is None or taken <= capacities[pk]
        for pk, taken in built.wanted_taken.items()
    )
    published_elderly = selectors.public_projects(selectors.ProjectFilters(q="老人"))
    assert published_elderly.exists()
    assert all("老人" in p.search_tokens.split() for p in published_elderly)


def test_demo_can_fill_places_and_adds_to_existing_projects(org):
    today = datetime.date.today()
    build_demo_projects(rng=random.Random(1), orgs=[org], today=today, count=10)
    built = build_demo_projects(
        rng=random.Random(1), orgs=[org], today=today, count=10, fill_places=True
    )
    assert Project.objects.count() == 20
    assert Shift.objects.filter(taken__gt=0).count() == len(built.wanted_taken)
