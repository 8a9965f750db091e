"""Hot projects (抢报名): entries during the window, then a fair, reproducible draw."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from gongyi.core.errors import ServiceError
from gongyi.signups import services, tasks
from gongyi.signups.models import LotteryDraw, Signup
from gongyi.signups.services import signup_create
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.testing.people import make_volunteer

pytestmark = pytest.mark.django_db
S = Signup.Status


@pytest.fixture
def lottery(org):
    return make_project(org, allocation="lottery")


@pytest.fixture
def entries(lottery):
    shift = make_shift(lottery, capacity=3)
    return shift, [signup_create(volunteer=make_volunteer(), shift=shift) for _ in range(8)]


def after_window(project):
    return project.recruit_end + timedelta(minutes=1)


def test_signups_during_the_window_wait_for_the_draw(entries):
    shift, signups = entries
    assert {s.status for s in signups} == {S.PENDING}
    shift.refresh_from_db()
    assert shift.taken == 0
    assert signups[0].volunteer.user.notices.get().kind == "signup.lottery_entered"


def test_draw_not_before_the_window_closes(lottery, entries):
    with pytest.raises(ServiceError) as error:
        services.draw_lottery(project=lottery)
    assert error.value.code == "too_early"


def test_draw_fills_places_and_waitlists_the_rest_in_drawn_order(lottery, entries):
    shift, signups = entries
    draw = services.draw_lottery(project=lottery, seed="fixed-seed", now=after_window(lottery))
    order = draw.summary["shifts"][str(shift.pk)]["order"]
    assert order == services.drawn_order("fixed-seed", shift.pk, [s.pk for s in signups])
    ranked = {s.pk: s for s in Signup.objects.filter(shift=shift)}
    assert [ranked[i].draw_rank for i in order] == list(range(1, 9))
    assert [ranked[i].status for i in order] == [S.CONFIRMED] * 3 + [S.WAITLISTED] * 5
    shift.refresh_from_db()
    assert shift.taken == 3


def test_the_draw_is_reproducible_and_a_different_seed_differs(lottery, entries):
    shift, signups = entries
    ids = [s.pk for s in signups]
    assert services.drawn_order("s1", shift.pk, ids) == services.drawn_order(
        "s1", shift.pk, ids[::-1]
    )
    assert services.drawn_order("s1", shift.pk, ids) != services.drawn_order("s2", shift.pk, ids)
    draw = services.draw_lottery(project=lottery, now=after_window(lottery))
    assert len(draw.seed) == 32  # generated with secrets
    assert all(services.verify_draw(draw).values())


def test_drawing_twice_changes_nothing(lottery, entries):
    first = services.draw_lottery(project=lottery, seed="a", now=after_window(lottery))
    second = services.draw_lottery(project=lottery, seed="b", now=after_window(lottery))
    assert first.pk == second.pk and second.seed == "a"


def test_cancel_after_the_draw_promotes_by_draw_rank(lottery, entries):
    shift, _ = entries
    draw = services.draw_lottery(project=lottery, seed="x", now=after_window(lottery))
    order = draw.summary["shifts"][str(shift.pk)]["order"]
    winner = Signup.objects.get(pk=order[0])
    services.signup_cancel(actor=winner.volunteer.user, signup=winner)
    assert Signup.objects.get(pk=order[3]).status == S.CONFIRMED
    assert Signup.objects.get(pk=order[4]).status == S.WAITLISTED


def test_run_due_draws_command_and_task_are_safe_twice(lottery, entries, org):
    not_yet = make_project(org, allocation="lottery")
    lottery.recruit_start = timezone.now() - timedelta(days=3)
    lottery.recruit_end = timezone.now() - timedelta(minutes=1)
    lottery.save()
    call_command("run_due_draws")
    tasks.run_due_draws.enqueue()
    assert LotteryDraw.objects.count() == 1
    assert not LotteryDraw.objects.filter(project=not_yet).exists()


def test_verify_draw_command(lottery, entries, capsys):
    draw = services.draw_lottery(project=lottery, seed="z", now=after_window(lottery))
    call_command("verify_draw", lottery.number)
    assert "equals the stored one" in capsys.readouterr().out
    shift_id = next(iter(draw.summary["shifts"]))
    draw.summary["shifts"][shift_id]["order"].reverse()  # tamper with the stored order
    draw.save()
    with pytest.raises(CommandError):
        call_command("verify_draw", lottery.number)


def test_public_draw_page_shows_the_seed_and_masked_names(client, lottery, entries):
    _shift, signups = entries
    assert client.get(reverse("signups:draw", args=[lottery.number])).status_code == 200
    services.draw_lottery(project=lottery, seed="published", now=after_window(lottery))
    page = client.get(reverse("signups:draw", args=[lottery.number])).content.decode()
    assert "published" in page and "顺序一致" in page
    assert signups[0].volunteer.masked_name in page
    assert signups[0].volunteer.real_name not in page
    api = client.get(f"/api/v1/signups/draws/{lottery.number}").json()
    assert api["seed"] == "published" and api["shifts"][0]["verified"]


def test_draw_page_of_a_first_come_project_is_404(client, project):
    assert client.get(reverse("signups:draw", args=[project.number])).status_code == 404


def test_organiser_runs_the_draw_others_cannot(client, lottery, entries, org_admin, outsider):
    lottery.recruit_start = timezone.now() - timedelta(days=3)
    lottery.recruit_end = timezone.now() - timedelta(minutes=1)
    lottery.save()
    url = reverse("signups:run_draw", args=[lottery.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(org_admin)
    client.post(url)
    assert LotteryDraw.objects.filter(project=lottery).exists()


def test_once_the_places_are_gone_each_further_entry_costs_three_writes(org):
    """Waitlisted in drawn order: its rank, its audit entry, its notice; no lock, no re-check."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_a_draw(entrants: int) -> int:
        project = make_project(org, allocation="lottery")
        shift = make_shift(project, capacity=2)
        for _ in range(entrants):
            signup_create(volunteer=make_volunteer(), shift=shift)
        with CaptureQueriesContext(connection) as queries:
            services.draw_lottery(project=project, now=after_window(project))
        assert Signup.objects.filter(shift=shift, status=S.CONFIRMED).count() == 2
        return len(queries)

    assert queries_for_a_draw(9) - queries_for_a_draw(5) == 4 * 3
