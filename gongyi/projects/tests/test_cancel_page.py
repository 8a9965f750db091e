"""Cancelling a project from its own pages: a confirmation page with a required reason."""

import pytest
from django.urls import reverse

from gongyi.notices.models import Notice
from gongyi.projects.models import Project
from gongyi.signups.models import Signup
from gongyi.signups.services import signup_create
from gongyi.testing.people import make_volunteer

OTHERS = ["outsider", "member", "leader", "other_org_admin", "district_admin"]


def cancel_url(project: Project) -> str:
    return reverse("projects:cancel", args=[project.number])


def test_anonymous_visitor_is_sent_to_log_in(client, project):
    for response in (client.get(cancel_url(project)), client.post(cancel_url(project))):
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("who", OTHERS)
def test_others_are_refused_and_nothing_changes(request, client, project, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(cancel_url(project)).status_code == 403
    assert client.post(cancel_url(project), {"reason": "不办了"}).status_code == 403
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED


def test_the_edit_page_leads_to_the_confirmation_page(client, project, org_admin):
    client.force_login(org_admin)
    edit = client.get(reverse("projects:edit", args=[project.number])).content.decode()
    assert cancel_url(project) in edit and "取消项目" in edit
    detail = client.get(project.get_absolute_url()).content.decode()
    assert cancel_url(project) in detail
    page = client.get(cancel_url(project)).content.decode()
    assert 'name="reason"' in page and "不可撤销" in page
    assert "目前有 0 名志愿者已确认名额" in page


def test_a_reason_is_required_and_nothing_changes_without_one(client, project, org_admin):
    client.force_login(org_admin)
    for reason in ("", "   ", "长" * 301):
        response = client.post(cancel_url(project), {"reason": reason})
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.PUBLISHED


def test_cancelling_tells_everyone_and_the_project_shows_its_state(client, project, org_admin):
    shift = project.shifts.get()
    people = [make_volunteer(real_name=f"志愿者{i}") for i in range(3)]
    for volunteer in people:
        signup_create(volunteer=volunteer, shift=shift)
    client.force_login(org_admin)
    assert "3 名志愿者" in client.get(cancel_url(project)).content.decode()

    response = client.post(cancel_url(project), {"reason": "台风预警，活动取消"}, follow=True)
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    page = response.content.decode()
    assert "已取消" in page and "取消时间" in page and cancel_url(project) not in page

    project.refresh_from_db()
    shift.refresh_from_db()
    assert project.status == Project.Status.CANCELLED and shift.taken == 0
    assert not Signup.objects.filter(status__in=Signup.LIVE).exists()
    notices = Notice.objects.filter(kind="project.cancelled")
    assert {n.user_id for n in notices} == {v.user_id for v in people}
    assert {n.body for n in notices} == {"台风预警，活动取消"}


def test_a_cancelled_project_shows_its_state_instead_of_forms(client, project, org_admin):
    client.force_login(org_admin)
    client.post(cancel_url(project), {"reason": "场地不可用"})
    edit_url = reverse("projects:edit", args=[project.number])
    edit = client.get(edit_url).content.decode()
    assert "已取消" in edit and "不能再修改" in edit
    assert 'name="title"' not in edit and cancel_url(project) not in edit
    title = project.title
    assert client.post(edit_url, {"title": "改名"}).status_code == 200
    again = client.get(cancel_url(project)).content.decode()
    assert "已取消" in again and 'name="reason"' not in again
    assert client.post(cancel_url(project), {"reason": "再取消"}).status_code == 200
    project.refresh_from_db()
    assert project.title == title and project.status == Project.Status.CANCELLED
    assert Notice.objects.filter(kind="project.cancelled").count() == 0  # nobody signed up


def test_english_page_on_request(client, project, org_admin):
    client.force_login(org_admin)
    page = client.get(cancel_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cancel the project" in page and "Reason for cancelling" in page
