"""Creating, editing, publishing projects; points and shifts; who may do it."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.models import AuditEntry
from gongyi.orgs.models import Organisation
from gongyi.projects import services
from gongyi.projects.management.commands.load_categories import DATA_FILE
from gongyi.projects.models import Beneficiary, Category, Project, Shift
from gongyi.projects.tests.conftest import category, local, make_project, project_fields
from gongyi.testing.people import make_org

# --- taxonomy -------------------------------------------------------------------------------


def test_taxonomy_loads_idempotently_and_keeps_what_the_city_admin_added(db):
    call_command("load_categories", verbosity=0)
    counts = (Category.objects.count(), Beneficiary.objects.count())
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert Category.objects.filter(parent__isnull=True).count() == len(data["categories"]) == 20
    assert Beneficiary.objects.filter(name="老年人").exists()
    assert set(Category.objects.filter(parent__isnull=True).values_list("code", flat=True)) >= {
        "community",
        "education",
        "environment",
        "special_groups",
        "other",
    }
    for main in Category.objects.filter(parent__isnull=True):
        assert 2 <= main.children.count() <= 5
    Category.objects.filter(code="environment").update(name="环保（改）")
    extra = Category.objects.create(code="city_special", name="城市特色", parent=None)
    call_command("load_categories", verbosity=0)
    assert (Category.objects.count(), Beneficiary.objects.count()) == (counts[0] + 1, counts[1])
    assert Category.objects.get(code="environment").name == "环境保护"
    assert Category.objects.filter(pk=extra.pk).exists()


def test_main_category_codes_match_the_volunteer_interests(db):
    from gongyi.accounts.choices import CATEGORY_CODES

    call_command("load_categories", verbosity=0)
    mains = set(Category.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert mains == set(CATEGORY_CODES)


# --- who may create ---------------------------------------------------------------------------


def test_org_admin_creates_a_draft_with_a_number(taxonomy, org, org_admin, district):
    project = services.project_create(actor=org_admin, org=org, **project_fields(district))
    today = timezone.localdate()
    assert project.status == Project.Status.DRAFT
    assert re.fullmatch(rf"P{district.code}{today:%Y%m%d}\d{{4}}", project.number)
    assert project.number.endswith("0001")
    assert AuditEntry.objects.filter(action="project.created", target_id=str(project.pk)).exists()
    second = services.project_create(actor=org_admin, org=org, **project_fields(district))
    assert second.number.endswith("0002")


def test_numbers_count_per_district(taxonomy, org, org_admin, district, other_district):
    first = services.project_create(actor=org_admin, org=org, **project_fields(district))
    other = services.project_create(actor=org_admin, org=org, **project_fields(other_district))
    assert first.number.endswith("0001") and other.number.endswith("0001")
    assert first.number != other.number


def test_number_clash_retries_with_the_next_one(taxonomy, org, org_admin, district, monkeypatch):
    existing = services.project_create(actor=org_admin, org=org, **project_fields(district))
    # A racing creator computed the same number: the insert fails and the next one is taken.
    calls = []
    real = services.next_number

    def stale(district, day):
        calls.append(1)
        return existing.number if len(calls) == 1 else real(district, day)

    monkeypatch.setattr(services, "next_number", stale)
    project = services.project_create(actor=org_admin, org=org, **project_fields(district))
    assert project.number.endswith("0002") and len(calls) == 2


@pytest.mark.parametrize(
    "who", ["outsider", "member", "leader", "other_org_admin", "district_admin"]
)
def test_others_cannot_create(request, taxonomy, org, district, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.project_create(actor=actor, org=org, **project_fields(district))
    assert not Project.objects.exists()


def test_unverified_org_cannot_create(taxonomy, org_admin, district):
    pending = make_org(district, admin=org_admin, status=Organisation.Status.PENDING)
    with pytest.raises(NotAllowed):
        services.project_create(actor=org_admin, org=pending, **project_fields(district))


def test_anonymous_cannot_create(taxonomy, org, district):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.project_create(actor=AnonymousUser(), org=org, **project_fields(district))


# --- validation -------------------------------------------------------------------------------

NOW = timezone.now()


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title": "  "}, "required", "title"),
        ({"title": "长" * 101}, "too_long", "title"),
        (
            {"recruit_end": NOW - datetime.timedelta(days=3)},
            "recruit_window_invalid",
            "recruit_end",
        ),
        ({"service_end": datetime.date(2000, 1, 1)}, "service_period_invalid", "service_end"),
        ({"service_start": datetime.date(1, 1, 1)}, "date_out_of_range", "service_start"),
        ({"min_age": 10}, "age_invalid", "min_age"),
        ({"max_age": 101}, "age_invalid", "max_age"),
        ({"min_age": 40, "max_age": 30}, "age_range_invalid", "max_age"),
        ({"contact_phone": "12345"}, "phone_invalid", "contact_phone"),
        ({"mode": "teleport"}, "invalid_choice", "mode"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    taxonomy, org, org_admin, district, changes, code, field
):
    with pytest.raises(ServiceError) as refused:
        services.project_create(actor=org_admin, org=org, **project_fields(district, **changes))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert str(refused.value.message)
    assert not Project.objects.exists()


def test_subcategory_must_belong_to_the_category(taxonomy, org, org_admin, district):
    with pytest.raises(ServiceError) as refused:
        services.project_create(
            actor=org_admin,
            org=org,
            **project_fields(
                district, category=category("health"), subcategory=category("environment_waste")
            ),
        )
    assert refused.value.code == "subcategory_invalid"
    with pytest.raises(ServiceError) as refused:
        services.project_create(
            actor=org_admin,
            org=org,
            **project_fields(district, category=category("health_clinic"), subcategory=None),
        )
    assert refused.value.code == "category_invalid"


def test_district_must_be_a_district(taxonomy, org, org_admin, street):
    with pytest.raises(ServiceError) as refused:
        services.project_create(actor=org_admin, org=org, **project_fields(street))
    assert refused.value.code == "district_invalid"


def test_teams_only_must_be_verified_teams(taxonomy, org, org_admin, district, community):
    team = make_org(district, kind="community_team", community=community)
    project = services.project_create(
        actor=org_admin, org=org, **project_fields(district, teams_only=[team])
    )
    assert list(project.teams_only.all()) == [team]
    with pytest.raises(ServiceError) as refused:
        services.project_create(
            actor=org_admin, org=org, **project_fields(district, teams_only=[org])
        )
    assert refused.value.code == "team_invalid"


def test_description_is_sanitised(taxonomy, org, org_admin, district):
    project = services.project_create(
        actor=org_admin,
        org=org,
        **project_fields(
            district,
            description='<p onclick="x()">你好<script>alert(1)</script>'
            '<a href="javascript:x">链接</a>'
            "<strong>老人</strong><img src=x onerror=alert(1)></p>",
        ),
    )
    assert "<script" not in project.description and "alert" not in project.description
    assert "onclick" not in project.description and "javascript:" not in project.description
    assert "<img" not in project.description
    assert "<strong>老人</strong>" in project.description


def test_search_tokens_follow_edits(taxonomy, org, org_admin, district):
    project = services.project_create(actor=org_admin, org=org, **project_fields(district))
    assert "老人" in project.search_tokens.split()
    project = services.project_update(
        actor=org_admin,
        project=project,
        title="社区垃圾分类宣传",
        summary="",
        description="<p>垃圾分类</p>",
    )
    tokens = project.search_tokens.split()
    assert "垃圾" in tokens and "分类" in tokens and "老人" not in tokens


def test_edit_refused_to_a_leader_and_changes_nothing(project, leader):
    with pytest.raises(NotAllowed):
        services.project_update(actor=leader, project=project, title="改了")
    project.refresh_from_db()
    assert project.title != "改了"


# --- publish and close ------------------------------------------------------------------------


def test_publish_needs_a_shift(taxonomy, org, org_admin):
    project = make_project(org, org_admin, publish=False, shifts=0)
    with pytest.raises(ServiceError) as refused:
        services.project_publish(actor=org_admin, project=project)
    assert refused.value.code == "no_shifts"
    project.refresh_from_db()
    assert project.status == Project.Status.DRAFT


def test_publish_then_close(project, org_admin):
    assert project.status == Project.Status.PUBLISHED and project.published_at
    with pytest.raises(ServiceError):
        services.project_publish(actor=org_admin, project=project)
    closed = services.project_close(actor=org_admin, project=project)
    assert closed.status == Project.Status.CLOSED
    assert closed.public_status() == "closed"
    with pytest.raises(ServiceError):
        services.project_update(actor=org_admin, project=closed, title="x")


def test_others_cannot_publish_or_close(project, leader, outsider):
    for actor in (leader, outsider):
        with pytest.raises(NotAllowed):
            services.project_close(actor=actor, project=project)


# --- points and shifts ------------------------------------------------------------------------


def test_points_csv_import(project, org_admin):
    rows = services.parse_points_csv(
        "name,address,lat,lng\n人民广场站,人民大道1号,31.23,121.47\n外滩,中山东一路,,\n"
    )
    assert services.points_import(actor=org_admin, project=project, rows=rows) == 2
    assert project.points.count() == 3
    with pytest.raises(ServiceError):
        services.parse_points_csv("a,b,north,east\n")
    with pytest.raises(ServiceError) as refused:
        services.points_import(
            actor=org_admin, project=project, rows=[{"name": "x", "latitude": 95, "longitude": 1}]
        )
    assert "1" in str(refused.value.message)
    assert project.points.count() == 3


def test_shift_capacity_never_below_taken(project, org_admin):
    shift = project.shifts.get()
    Shift.objects.filter(pk=shift.pk).update(taken=6)
    shift.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        services.shift_update(actor=org_admin, shift=shift, capacity=5)
    assert refused.value.code == "capacity_below_taken"
    assert services.shift_update(actor=org_admin, shift=shift, capacity=6).capacity == 6
    with pytest.raises(ServiceError) as refused:
        services.shift_update(
            actor=org_admin, shift=shift, starts_at=shift.starts_at + datetime.timedelta(hours=1)
        )
    assert refused.value.code == "shift_in_use"
    with pytest.raises(ServiceError):
        services.shift_delete(actor=org_admin, shift=shift)
    assert Shift.objects.filter(pk=shift.pk, capacity=6).exists()


def test_shift_times_must_make_sense(project, org_admin):
    point = project.points.get()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for starts, ends, code in [
        (local(tomorrow, 12), local(tomorrow, 9), "shift_times_invalid"),
        (
            local(tomorrow + datetime.timedelta(days=400), 9),
            local(tomorrow + datetime.timedelta(days=400), 10),
            "shift_outside_period",
        ),
    ]:
        with pytest.raises(ServiceError) as refused:
            services.shift_create(
                actor=org_admin, project=project, point=point, starts_at=starts, ends_at=ends
            )
        assert refused.value.code == code
    assert project.shifts.count() == 1


def test_point_of_another_project_is_refused(project, org, org_admin):
    other = make_project(org, org_admin, publish=False)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        services.shift_create(
            actor=org_admin,
            project=project,
            point=other.points.get(),
            starts_at=local(tomorrow, 9),
            ends_at=local(tomorrow, 10),
        )
    assert refused.value.code == "point_invalid"


def test_every_saturday_for_three_months(project, org_admin):
    point = project.points.get()
    start = (
        datetime.date(2026, 12, 1)
        if project.service_start <= datetime.date(2026, 12, 1)
        else project.service_start
    )
    project.service_start, project.service_end = start, start + datetime.timedelta(days=200)
    project.save()
    date_to = start + datetime.timedelta(days=91)
    shifts = services.shifts_create_repeating(
        actor=org_admin,
        project=project,
        point=point,
        weekdays=[6],
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        date_from=start,
        date_to=date_to,
        capacity=20,
    )
    assert len(shifts) in (13, 14)
    for shift in Shift.objects.filter(pk__in=[s.pk for s in shifts]):
        starts = timezone.localtime(shift.starts_at)
        assert starts.isoweekday() == 6 and (starts.hour, starts.minute) == (9, 0)
        assert timezone.localtime(shift.ends_at).hour == 12
        assert shift.starts_at.utcoffset() is not None
        assert shift.starts_at.astimezone(datetime.UTC).hour == 1  # 09:00 in Shanghai
        assert shift.capacity == 20


def test_repeating_shifts_are_capped(project, org_admin):
    point = project.points.get()
    project.service_start, project.service_end = (
        datetime.date(2030, 1, 1),
        datetime.date(2032, 12, 31),
    )
    project.save()
    count = project.shifts.count()
    with pytest.raises(ServiceError) as refused:
        services.shifts_create_repeating(
            actor=org_admin,
            project=project,
            point=point,
            weekdays=range(1, 8),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            date_from=datetime.date(2030, 1, 1),
            date_to=datetime.date(2031, 12, 31),
        )
    assert refused.value.code == "too_many_shifts"
    assert project.shifts.count() == count


def test_repeating_shifts_refused_to_others(project, leader):
    with pytest.raises(NotAllowed):
        services.shifts_create_repeating(
            actor=leader,
            project=project,
            point=project.points.get(),
            weekdays=[6],
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            date_from=project.service_start,
            date_to=project.service_end,
        )
