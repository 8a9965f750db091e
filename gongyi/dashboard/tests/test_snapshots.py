"""The stored snapshot: refreshed by the task and the command, equal to a fresh compute
(invariant 5), recomputed on a request only when missing or stale."""

from collections import Counter
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from gongyi.dashboard import selectors, services, tasks
from gongyi.dashboard.models import DashboardSnapshot
from gongyi.growth.tests.conftest import append


def test_snapshot_equals_a_fresh_compute_after_new_records(town):
    tasks.refresh_dashboards.enqueue()
    assert DashboardSnapshot.objects.count() == 3  # the city and its two districts
    before = selectors.stored(town.east).data["hours"]["total_minutes"]
    append(town.volunteers["e"], town.projects["p1"], minutes=33, day=town.today)
    tasks.refresh_dashboards.enqueue()
    for region in (town.city, town.east, town.west):
        assert selectors.stored(region).data == selectors.compute(region)
    assert selectors.stored(town.east).data["hours"]["total_minutes"] == before + 33
    assert selectors.stored(town.east).data["active_volunteers"] == 3


def test_refresh_is_safe_to_run_twice(town, capsys):
    call_command("refresh_dashboards")
    call_command("refresh_dashboards")
    assert DashboardSnapshot.objects.count() == 3
    assert "3" in capsys.readouterr().out


def test_a_fresh_snapshot_is_read_a_stale_one_recomputed(town):
    snapshot = services.refresh_region(region=town.east)
    append(town.volunteers["e"], town.projects["p1"], minutes=33, day=town.today)
    assert selectors.snapshot_for(town.east).pk == snapshot.pk
    assert selectors.snapshot_for(town.east).data["hours"]["total_minutes"] == 210  # fresh
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - timedelta(minutes=11)
    )
    assert selectors.snapshot_for(town.east).data["hours"]["total_minutes"] == 243


def test_missing_snapshot_is_computed_once(town, django_assert_max_num_queries):
    assert selectors.stored(town.west) is None
    selectors.snapshot_for(town.west)
    assert DashboardSnapshot.objects.filter(region=town.west).count() == 1
    with django_assert_max_num_queries(1):  # fresh: one read
        selectors.snapshot_for(town.west)


def test_a_stale_snapshot_being_recomputed_elsewhere_is_shown_meanwhile(town):
    from django.core.cache import cache

    snapshot = services.refresh_region(region=town.east)
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - timedelta(minutes=11)
    )
    cache.add(f"dashboard:computing:{town.east.pk}", 1)  # another request is computing it
    append(town.volunteers["e"], town.projects["p1"], minutes=33, day=town.today)
    assert selectors.snapshot_for(town.east).data["hours"]["total_minutes"] == 210
    cache.delete(f"dashboard:computing:{town.east.pk}")
    assert selectors.snapshot_for(town.east).data["hours"]["total_minutes"] == 243


def test_active_volunteers_of_all_districts_at_once_agree(town):
    active = selectors.active_by_district(town.city, town.today)
    for district in (town.east, town.west):
        assert active.get(district.pk, 0) == selectors.active_volunteers(district, town.today)


def _counting(monkeypatch, module, name: str, calls: Counter) -> None:
    """Count the calls of `module.name` (still calling it)."""
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


def test_refreshing_every_region_reads_traffic_once_and_each_citys_wages_once(town, monkeypatch):
    from gongyi.traffic import selectors as traffic
    from gongyi.value import selectors as value

    calls = Counter()
    _counting(monkeypatch, traffic, "visits_by_day", calls)
    _counting(monkeypatch, value, "city_tables", calls)
    assert services.refresh_all() == 3  # the city and its two districts
    assert calls == {"visits_by_day": 1, "city_tables": 1}
    for region in (town.city, town.east, town.west):  # the same figures as one at a time
        assert selectors.stored(region).data == selectors.compute(region)


def test_one_regions_traffic_is_read_once(town, monkeypatch):
    from gongyi.traffic import selectors as traffic

    calls = Counter()
    _counting(monkeypatch, traffic, "visits_by_day", calls)
    selectors.compute(town.east)
    assert calls == {"visits_by_day": 1}
