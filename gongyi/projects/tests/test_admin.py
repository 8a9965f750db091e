"""The admin edits the taxonomy; projects, points and shifts are shown there, never changed."""

from django.urls import reverse

from gongyi.accounts.models import User


def test_projects_points_and_shifts_are_view_only(client, project):
    client.force_login(User.objects.create_superuser(phone="13900009999", password="x"))
    shift, point = project.shifts.get(), project.points.get()
    for name, row in (("project", project), ("servicepoint", point), ("shift", shift)):
        assert client.get(reverse(f"admin:projects_{name}_changelist")).status_code == 200
        change = reverse(f"admin:projects_{name}_change", args=[row.pk])
        assert client.get(change).status_code == 200
        assert client.get(reverse(f"admin:projects_{name}_add")).status_code == 403
        delete = reverse(f"admin:projects_{name}_delete", args=[row.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert project.shifts.count() == 1 and project.points.count() == 1


def test_the_taxonomy_stays_editable(client, taxonomy):
    client.force_login(User.objects.create_superuser(phone="13900009999", password="x"))
    for name in ("category", "beneficiary"):
        assert client.get(reverse(f"admin:projects_{name}_add")).status_code == 200
