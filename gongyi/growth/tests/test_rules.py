"""The rules alone (no database): stars at the exact thresholds, levels, deeds, badges once."""

from datetime import date, timedelta

import pytest

from gongyi.growth import rules
from gongyi.growth.rules import BadgeRule, Group, Level, Rules, Served

RULES = Rules(
    levels=(Level(0, "志愿新人"), Level(100, "志愿新星"), Level(1000, "志愿先锋")),
    training_category_ids=frozenset({7}),
    elderly_group=Group(3, "老年人", "The elderly"),
    groups={"elderly": Group(3, "老年人", "The elderly"), "children": Group(4, "儿童")},
)
_ids = iter(range(1, 10**6))


def served(day: date, minutes: int = 60, district: int = 1, **extra) -> Served:
    record_id = next(_ids)
    fields = dict(
        record_id=record_id,
        seq=record_id,
        day=day,
        minutes=minutes,
        project_id=1,
        project_title="社区服务",
        district_id=district,
        district_name=f"区{district}",
    )
    fields.update(extra)
    return Served(**fields)


@pytest.mark.parametrize(
    ("minutes", "stars"),
    [
        (0, 0),
        (100 * 60 - 1, 0),
        (100 * 60, 1),  # exactly 100 hours: one star
        (300 * 60 - 1, 1),
        (300 * 60, 2),
        (600 * 60, 3),
        (1000 * 60 - 1, 3),
        (1000 * 60, 4),
        (1500 * 60 - 1, 4),
        (1500 * 60, 5),
        (9999 * 60, 5),
    ],
)
def test_stars_at_the_exact_thresholds(minutes, stars):
    assert rules.stars_for_minutes(minutes, RULES.star_minutes) == stars
    growth = rules.compute([served(date(2026, 1, 1), minutes)] if minutes else [], RULES)
    assert growth.stars == stars


def test_thresholds_are_the_citys():
    city = Rules(star_hours=(10, 20, 30, 40, 50))
    assert rules.stars_for_minutes(20 * 60, city.star_minutes) == 2


def test_the_star_is_dated_by_the_record_that_crossed_it():
    records = [served(date(2026, 1, 5), 99 * 60), served(date(2026, 2, 9), 60)]
    growth = rules.compute(records, RULES)
    stars = [e for e in growth.events if e.kind == "star"]
    assert [(e.day, e.facts["stars"]) for e in stars] == [(date(2026, 2, 9), 1)]


def test_one_big_record_reaches_several_stars_at_once():
    growth = rules.compute([served(date(2026, 1, 5), 600 * 60)], RULES)
    assert [e.facts["stars"] for e in growth.events if e.kind == "star"] == [1, 2, 3]


def test_points_levels_and_deeds():
    # 3 h = 30 points; first service 50; new district 20 → 100 points: level 1 exactly.
    growth = rules.compute([served(date(2026, 1, 5), 180)], RULES)
    assert growth.points == 100
    assert growth.level == 1
    kinds = [e.kind for e in growth.events]
    assert kinds == ["first_service", "new_district", "level"]
    assert sum(e.points for e in growth.events) == 70


def test_points_are_paid_on_the_running_total_of_minutes():
    # Three 20-minute records: 1 hour, 10 points (not 3 × 3 rounded down).
    records = [served(date(2026, 1, d), 20) for d in (1, 2, 3)]
    assert rules.compute(records, Rules(points_first_service=0, points_new_district=0)).points == 10


def test_a_new_district_is_a_deed_once_per_district():
    records = [served(date(2026, 1, d), district=d % 2) for d in range(1, 6)]
    growth = rules.compute(records, RULES)
    assert [e.facts["district"] for e in growth.events if e.kind == "new_district"] == [
        "区1",
        "区0",
    ]
    assert growth.districts == 2


def test_training_counts_category_or_subcategory():
    records = [
        served(date(2026, 1, 1), category_ids=frozenset({7})),
        served(date(2026, 1, 2), category_ids=frozenset({8, 7})),
        served(date(2026, 1, 3), category_ids=frozenset({8})),
    ]
    growth = rules.compute(records, RULES)
    assert len([e for e in growth.events if e.kind == "training"]) == 2


def test_a_streak_every_three_months_in_a_row():
    months = [date(2026, m, 10) for m in (1, 2, 3, 4, 5, 6, 8, 9, 10)]
    growth = rules.compute([served(d) for d in months], RULES)
    streaks = [(e.day, e.facts["months"]) for e in growth.events if e.kind == "streak"]
    # Jan–Mar, Jan–Jun; the gap in July starts again, Aug–Oct.
    assert streaks == [(date(2026, 3, 10), 3), (date(2026, 6, 10), 6), (date(2026, 10, 10), 3)]


def test_two_records_in_one_month_do_not_extend_a_streak():
    days = [date(2026, 1, 1), date(2026, 1, 20), date(2026, 2, 1)]
    growth = rules.compute([served(d) for d in days], RULES)
    assert not [e for e in growth.events if e.kind == "streak"]


def test_a_badge_is_awarded_once_on_the_record_that_made_it_hold():
    badge = BadgeRule(1, "districts", {"count": 3})
    records = [served(date(2026, 1, d), district=d) for d in range(1, 6)]
    growth = rules.compute(records, RULES, [badge])
    award = growth.awards[1]
    assert award.day == date(2026, 1, 3) and award.record_id == records[2].record_id
    assert award.facts["districts"] == ["区1", "区2", "区3"]
    assert len([e for e in growth.events if e.kind == "badge"]) == 1


def test_elderly_badge_uses_the_citys_group_or_a_named_one():
    elderly = BadgeRule(1, "group_services", {"count": 2, "group": ""})
    children = BadgeRule(2, "group_services", {"count": 1, "group": "children"})
    records = [served(date(2026, 1, d), beneficiary_ids=frozenset({3})) for d in (1, 2)]
    growth = rules.compute(records, RULES, [elderly, children])
    assert set(growth.awards) == {1}
    assert growth.awards[1].facts["group"] == "老年人"
    assert rules.compute(records, Rules(), [elderly]).awards == {}  # no elderly group set


def test_a_year_without_a_no_show():
    badge = BadgeRule(1, "reliable_year", {"days": 365})
    start = date(2025, 1, 10)
    records = [served(start + timedelta(days=d)) for d in (0, 200, 364, 365, 400)]
    growth = rules.compute(records, RULES, [badge])
    assert growth.awards[1].day == start + timedelta(days=365)
    assert growth.awards[1].facts == {
        "days": 365,
        "from": "2025-01-10",
        "to": "2026-01-10",
    }


def test_a_no_show_starts_the_year_again():
    badge = BadgeRule(1, "reliable_year", {"days": 365})
    start = date(2025, 1, 10)
    records = [served(start + timedelta(days=d)) for d in (0, 100, 365, 480)]
    no_show = start + timedelta(days=50)
    growth = rules.compute(records, RULES, [badge], no_shows=[no_show])
    # Counted from the first service after the no-show (day 100): day 480 is 380 days on.
    assert growth.awards[1].day == start + timedelta(days=480)
    assert growth.awards[1].facts["from"] == (start + timedelta(days=100)).isoformat()


def test_hours_services_streak_training_badges():
    badges = [
        BadgeRule(1, "hours", {"hours": 2}),
        BadgeRule(2, "services", {"count": 3}),
        BadgeRule(3, "streak", {"months": 2}),
        BadgeRule(4, "training", {"count": 1}),
    ]
    records = [
        served(date(2026, 1, 1), 60),
        served(date(2026, 2, 1), 60, category_ids=frozenset({7})),
        served(date(2026, 2, 2), 60),
    ]
    growth = rules.compute(records, RULES, badges)
    days = {badge_id: award.day for badge_id, award in growth.awards.items()}
    assert days == {
        1: date(2026, 2, 1),
        2: date(2026, 2, 2),
        3: date(2026, 2, 1),
        4: date(2026, 2, 1),
    }
    assert growth.awards[3].facts == {"months": 2, "from": "2026-01"}


def test_replay_order_is_the_day_served_not_the_day_recorded():
    late = served(date(2026, 1, 1), 60)  # a declaration recorded after the others
    early = served(date(2026, 3, 1), 60)
    object.__setattr__(late, "seq", 99)
    growth = rules.compute([early, late], RULES)
    first = next(e for e in growth.events if e.kind == "first_service")
    assert first.day == date(2026, 1, 1)


def test_progress():
    floors = (6000, 18000, 36000)
    p = rules.progress(12000, floors)
    assert (p.start, p.target, p.left, p.percent, p.next_index) == (6000, 18000, 6000, 50, 1)
    assert rules.progress(0, floors).percent == 0
    done = rules.progress(40000, floors)
    assert done.target is None and done.percent == 100 and done.left == 0


@pytest.mark.parametrize(
    ("kind", "params", "ok"),
    [
        ("districts", {"count": 5}, True),
        ("districts", {"count": 0}, False),
        ("districts", {"count": 5, "extra": 1}, False),
        ("hours", {"count": 5}, False),
        ("reliable_year", {}, True),
        ("group_services", {"count": 10}, True),
        ("no_such_rule", {}, False),
        ("streak", "junk", False),
    ],
)
def test_badge_params_are_checked(kind, params, ok):
    if ok:
        assert rules.check_params(kind, params)
    else:
        with pytest.raises(rules.ParamsError):
            rules.check_params(kind, params)
