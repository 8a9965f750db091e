"""The organiser's pages: my projects, create/edit, points, shifts, publish and close."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.projects.models import Project, ServicePoint, Shift
from gongyi.projects.tests.conftest import category, make_project


def project_post(district, **changes) -> dict:
    today = timezone.localdate()
    data = {
        "title": "社区老人智能手机培训",
        "summary": "教老人用手机",
        "description": "<p>你好</p><script>alert(1)</script>",
        "category": category("science").pk,
        "subcategory": category("science_digital").pk,
        "district": district.pk,
        "mode": "onsite",
        "recruit_start": f"{today:%Y-%m-%d}T08:00",
        "recruit_end": f"{today + datetime.timedelta(days=30):%Y-%m-%d}T20:00",
        "service_start": f"{today:%Y-%m-%d}",
        "service_end": f"{today + datetime.timedelta(days=90):%Y-%m-%d}",
        "min_age": "16",
        "max_age": "70",
        "real_name_only": "on",
        "skills": "教学，摄影",
        "allocation": "first_come",
        "cancel_hours_before": "24",
        "contact_name": "袁小明",
        "contact_phone": "13812344567",
    }
    data.update(changes)
    return data


def organiser_urls(project: Project) -> list[tuple[str, str]]:
    point, shift = project.points.get(), project.shifts.get()
    return [
        ("get", reverse("projects:create", args=[project.organisation_id])),
        ("get", reverse("projects:edit", args=[project.number])),
        ("get", reverse("projects:points", args=[project.number])),
        ("get", reverse("projects:shifts", args=[project.number])),
        ("get", reverse("projects:point_edit", args=[point.pk])),
        ("get", reverse("projects:shift_edit", args=[shift.pk])),
        ("post", reverse("projects:publish", args=[project.number])),
        ("post", reverse("projects:close", args=[project.number])),
        ("post", reverse("projects:point_delete", args=[point.pk])),
        ("post", reverse("projects:shift_delete", args=[shift.pk])),
    ]


def test_anonymous_visitor_is_sent_to_log_in(project, client):
    for method, url in [*organiser_urls(project), ("get", reverse("projects:mine"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url


@pytest.mark.parametrize(
    "who",
    ["outsider", "member", "leader", "other_org_admin", "district_admin", "other_district_admin"],
)
def test_others_are_refused_every_organiser_page(request, project, client, who):
    client.force_login(request.getfixturevalue(who))
    for method, url in organiser_urls(project):
        assert getattr(client, method)(url).status_code == 403, (who, url)
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED
    assert project.shifts.count() == project.points.count() == 1


def test_my_projects_lists_what_the_user_runs(project, client, leader, outsider, org_admin):
    client.force_login(leader)
    assert project.title in client.get(reverse("projects:mine")).content.decode()
    client.force_login(outsider)
    assert project.title not in client.get(reverse("projects:mine")).content.decode()
    client.force_login(org_admin)
    text = client.get(reverse("projects:mine")).content.decode()
    assert reverse("projects:create", args=[project.organisation_id]) in text


def test_create_edit_points_shifts_publish_close_through_the_pages(
    taxonomy, client, org, org_admin, district
):
    client.force_login(org_admin)
    response = client.post(reverse("projects:create", args=[org.pk]), project_post(district))
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "projects:points", args=[project.number]
    )
    assert "<script" not in project.description and project.skills == ["教学", "摄影"]
    assert project.status == Project.Status.DRAFT

    points_url = reverse("projects:points", args=[project.number])
    client.post(
        points_url,
        {
            "action": "add",
            "name": "人民广场站",
            "address": "人民大道",
            "latitude": "31.23",
            "longitude": "121.47",
            "geofence_metres": "300",
        },
    )
    client.post(
        points_url, {"action": "import", "csv_text": "外滩,中山东一路,31.24,121.49\n豫园,安仁街,,"}
    )
    assert project.points.count() == 3
    point = project.points.first()

    shifts_url = reverse("projects:shifts", args=[project.number])
    day = timezone.localdate() + datetime.timedelta(days=2)
    client.post(
        shifts_url,
        {
            "action": "add",
            "point": point.pk,
            "starts_at": f"{day}T09:00",
            "ends_at": f"{day}T12:00",
            "capacity": "5",
        },
    )
    client.post(
        shifts_url,
        {
            "action": "bulk",
            "point": point.pk,
            "weekdays": ["6", "7"],
            "start_time": "09:00",
            "end_time": "12:00",
            "date_from": f"{day}",
            "date_to": f"{day + datetime.timedelta(days=27)}",
            "capacity": "",
        },
    )
    assert project.shifts.count() == 9
    shift = project.shifts.first()
    assert timezone.localtime(shift.starts_at).hour == 9

    client.post(
        reverse("projects:shift_edit", args=[shift.pk]),
        {
            "point": point.pk,
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T12:00",
            "capacity": "8",
        },
    )
    shift.refresh_from_db()
    assert shift.capacity == 8 and timezone.localtime(shift.starts_at).hour == 10

    client.post(reverse("projects:publish", args=[project.number]))
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED

    edit = client.post(
        reverse("projects:edit", args=[project.number]),
        project_post(district, title="社区老人智能手机培训（第二期）"),
    )
    assert edit.status_code == 302
    project.refresh_from_db()
    assert project.title.endswith("（第二期）")

    client.post(reverse("projects:close", args=[project.number]))
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED


def test_bad_input_shows_errors_in_chinese_and_changes_nothing(
    taxonomy, client, org, org_admin, district
):
    client.force_login(org_admin)
    response = client.post(
        reverse("projects:create", args=[org.pk]),
        project_post(district, min_age="40", max_age="30"),
    )
    assert response.status_code == 200
    assert "最大年龄不能小于最小年龄" in response.content.decode()
    assert not Project.objects.exists()


def test_too_many_repeating_shifts_is_a_clear_error(project, client, org_admin):
    client.force_login(org_admin)
    Project.objects.filter(pk=project.pk).update(
        service_end=project.service_start + datetime.timedelta(days=1000)
    )
    count = Shift.objects.count()
    response = client.post(
        reverse("projects:shifts", args=[project.number]),
        {
            "action": "bulk",
            "point": project.points.get().pk,
            "weekdays": [str(d) for d in range(1, 8)],
            "start_time": "09:00",
            "end_time": "10:00",
            "date_from": f"{project.service_start}",
            "date_to": f"{project.service_start + datetime.timedelta(days=900)}",
        },
    )
    assert response.status_code == 200 and "500" in response.content.decode()
    assert Shift.objects.count() == count


def test_point_with_taken_places_cannot_be_removed(project, client, org_admin):
    client.force_login(org_admin)
    Shift.objects.filter(project=project).update(taken=1)
    point = project.points.get()
    client.post(reverse("projects:point_delete", args=[point.pk]))
    assert ServicePoint.objects.filter(pk=point.pk).exists()
    Shift.objects.filter(project=project).update(taken=0)
    client.post(reverse("projects:shift_delete", args=[project.shifts.get().pk]))
    client.post(reverse("projects:point_delete", args=[point.pk]))
    assert not ServicePoint.objects.filter(pk=point.pk).exists()


def test_publish_without_shifts_shows_why(taxonomy, client, org, org_admin):
    project = make_project(org, org_admin, publish=False, shifts=0)
    client.force_login(org_admin)
    response = client.post(reverse("projects:publish", args=[project.number]), follow=True)
    assert "发布项目前请至少添加一个班次" in response.content.decode()
