"""The growth rules as pure functions: records in, points, level, stars, deeds, badges out.

No database here, so the rules are easy to read and to test, and "recompute from scratch"
is simply calling `compute` again. `compute` replays a volunteer's effective records in the
order they were served (day, then ledger sequence) and notes the record at which each thing
first became true: that record's day is the day of the star, the level, the deed or the
badge. Points never go down during a replay (every record adds minutes, deeds add points), so
each star and level is reached exactly once; a correction changes the records and so the
whole replay, never a stored figure.

Deeds (each worth the points the city sets):
- first service: the first effective record;
- new district: the first record in a district (the first district counts too: it is new);
- training: every record on a project whose category or subcategory is a training category;
- streak: served in `streak_months` calendar months in a row, again at every further multiple
  of it (3, 6, 9… months without a gap).
"""

import bisect
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError

# --- what the rules read --------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    """One effective service record, as the rules see it."""

    record_id: int
    seq: int
    day: date
    minutes: int
    project_id: int
    project_title: str
    district_id: int
    district_name: str
    category_ids: frozenset[int] = frozenset()
    beneficiary_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Level:
    points: int
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Rules:
    """The city's settings as plain data (see `selectors.current_rules`)."""

    star_hours: tuple[int, ...] = (100, 300, 600, 1000, 1500)
    points_per_hour: int = 10
    points_first_service: int = 50
    points_training: int = 20
    points_streak: int = 30
    points_new_district: int = 20
    streak_months: int = 3
    levels: tuple[Level, ...] = (Level(0, "志愿新人", "Newcomer"),)
    training_category_ids: frozenset[int] = frozenset()
    elderly_group: Group | None = None
    groups: dict[str, Group] = field(default_factory=dict)  # beneficiary code -> group
    version: int = 0

    @property
    def star_minutes(self) -> tuple[int, ...]:
        return tuple(h * 60 for h in self.star_hours)

    @property
    def level_floors(self) -> tuple[int, ...]:
        return tuple(level.points for level in self.levels)


@dataclass(frozen=True)
class BadgeRule:
    badge_id: int
    kind: str
    params: dict


# --- what the rules give --------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One dated step of a volunteer's growth (the timeline)."""

    kind: str  # first_service, new_district, training, streak, star, level, badge
    day: date
    record_id: int
    points: int = 0  # what a deed earned
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Award:
    badge_id: int
    day: date
    record_id: int
    facts: dict


@dataclass
class Growth:
    minutes: int = 0
    points: int = 0
    level: int = 0
    stars: int = 0
    services: int = 0
    districts: int = 0
    events: list[Event] = field(default_factory=list)
    awards: dict[int, Award] = field(default_factory=dict)

    def figures(self) -> dict:
        """What the summary row stores."""
        return {
            "minutes": self.minutes,
            "points": self.points,
            "level": self.level,
            "stars": self.stars,
            "services": self.services,
            "districts": self.districts,
        }


# --- stars, levels, progress ----------------------------------------------------------------------


def stars_for_minutes(minutes: int, star_minutes) -> int:
    """0–5: one star per threshold reached; reaching it exactly counts."""
    return sum(minutes >= threshold for threshold in star_minutes)


def level_for_points(points: int, floors) -> int:
    """The index of the highest level whose floor the points reach (the first floor is 0)."""
    return max(bisect.bisect_right(floors, points) - 1, 0)


def points_for(minutes: int, deed_points: int, rules: Rules) -> int:
    """Whole points: hours are paid on the running total, so no rounding is lost per record."""
    return minutes * rules.points_per_hour // 60 + deed_points


@dataclass(frozen=True)
class Progress:
    """From the last step reached towards the next one (None: nothing left to reach)."""

    have: int
    start: int  # the floor of the step reached
    target: int | None  # the floor of the next step
    next_index: int | None

    @property
    def left(self) -> int:
        return 0 if self.target is None else max(self.target - self.have, 0)

    @property
    def percent(self) -> int:
        if self.target is None:
            return 100
        span = self.target - self.start
        return min(100, max(0, (self.have - self.start) * 100 // span)) if span > 0 else 100


def progress(have: int, floors) -> Progress:
    """Progress of `have` between ascending `floors` (e.g. star minutes, level points)."""
    reached = bisect.bisect_right(floors, have)
    start = floors[reached - 1] if reached else 0
    if reached >= len(floors):
        return Progress(have=have, start=start, target=None, next_index=None)
    return Progress(have=have, start=start, target=floors[reached], next_index=reached)


# --- badge parameters -----------------------------------------------------------------------------


class ParamsError(ValueError):
    """A badge's parameters do not fit its rule."""


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CountParams(_Params):
    count: int = Field(ge=1, le=100_000)


class HoursParams(_Params):
    hours: int = Field(ge=1, le=100_000)


class GroupParams(_Params):
    count: int = Field(ge=1, le=100_000)
    group: str = Field("", max_length=40, description="Beneficiary code; empty: the elderly.")


class StreakParams(_Params):
    months: int = Field(ge=1, le=600)


class YearParams(_Params):
    days: int = Field(365, ge=1, le=3650)


PARAMS: dict[str, type[_Params]] = {
    "services": CountParams,
    "hours": HoursParams,
    "districts": CountParams,
    "group_services": GroupParams,
    "training": CountParams,
    "streak": StreakParams,
    "reliable_year": YearParams,
}


def check_params(kind: str, params) -> dict:
    """The parameters, checked and completed with defaults; ParamsError tells what is wrong."""
    model = PARAMS.get(kind)
    if model is None:
        raise ParamsError(f"unknown rule: {kind!r}")
    try:
        return model.model_validate(params if isinstance(params, dict) else {}).model_dump()
    except ValidationError as error:
        parts = [f"{'.'.join(map(str, e['loc'])) or kind}: {e['msg']}" for e in error.errors()]
        raise ParamsError("; ".join(parts)) from None


# --- the replay -----------------------------------------------------------------------------------


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_text(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


@dataclass
class _State:
    """Everything the rules have seen so far in the replay."""

    minutes: int = 0
    deed_points: int = 0
    services: int = 0
    trainings: int = 0
    districts: dict[int, str] = field(default_factory=dict)  # in the order first served
    groups: Counter = field(default_factory=Counter)
    month: int | None = None
    run: int = 0  # calendar months in a row, up to the current one
    run_from: int | None = None
    last_no_show: date | None = None
    clean_from: date | None = None  # first day served after the last no-show


def _streak_step(state: _State, day: date) -> bool:
    """Advance the month run; True when this record started a new month in the run."""
    month = _month(day)
    if month == state.month:
        return False
    if state.month is not None and month == state.month + 1:
        state.run += 1
    else:
        state.run, state.run_from = 1, month
    state.month = month
    return True


def _no_show_step(state: _State, day: date, no_shows: list[date]) -> None:
    """Keep `clean_from`: the first served day after the latest no-show on or before `day`."""
    i = bisect.bisect_right(no_shows, day)
    latest = no_shows[i - 1] if i else None
    if latest != state.last_no_show:
        state.last_no_show = latest
        state.clean_from = None
    if state.clean_from is None and (latest is None or day > latest):
        state.clean_from = day


def _group_for(params: dict, rules: Rules) -> Group | None:
    code = params.get("group") or ""
    return rules.groups.get(code) if code else rules.elderly_group


def _badge_facts(rule: BadgeRule, state: _State, day: date, rules: Rules) -> dict | None:
    """The facts that make the badge's rule hold now, or None when it does not hold."""
    p = rule.params
    match rule.kind:
        case "services" if state.services >= p["count"]:
            return {"count": p["count"]}
        case "hours" if state.minutes >= p["hours"] * 60:
            return {"hours": p["hours"]}
        case "districts" if len(state.districts) >= p["count"]:
            return {"count": p["count"], "districts": list(state.districts.values())}
        case "training" if state.trainings >= p["count"]:
            return {"count": p["count"]}
        case "streak" if state.run >= p["months"]:
            end = _month(day)
            return {"months": p["months"], "from": _month_text(end - state.run + 1)}
        case "group_services":
            group = _group_for(p, rules)
            if group is not None and state.groups[group.id] >= p["count"]:
                return {"count": p["count"], "group": group.name, "group_en": group.name_en}
        case "reliable_year":
            start = state.clean_from
            if start is not None and (day - start).days >= p["days"]:
                return {"days": p["days"], "from": start.isoformat(), "to": day.isoformat()}
    return None


def _deeds(state: _State, r: Served, rules: Rules, no_shows: list[date]) -> list[Event]:
    """Take one record into the state; the deeds it makes (with their points)."""
    deeds = []

    def deed(kind: str, points: int, **facts) -> None:
        state.deed_points += points
        deeds.append(Event(kind, r.day, r.record_id, points, facts))

    state.minutes += r.minutes
    state.services += 1
    if state.services == 1:
        deed("first_service", rules.points_first_service, project=r.project_title)
    if r.district_id not in state.districts:
        state.districts[r.district_id] = r.district_name
        deed("new_district", rules.points_new_district, district=r.district_name)
    if r.category_ids & rules.training_category_ids:
        state.trainings += 1
        deed("training", rules.points_training, project=r.project_title)
    state.groups.update(r.beneficiary_ids)
    if _streak_step(state, r.day) and state.run % rules.streak_months == 0:
        deed("streak", rules.points_streak, months=state.run)
    _no_show_step(state, r.day, no_shows)
    return deeds


def compute(
    served: list[Served],
    rules: Rules,
    badges: list[BadgeRule] = (),
    no_shows: list[date] = (),
) -> Growth:
    """A volunteer's growth from their effective records (and no-show days), from scratch."""
    state, growth = _State(), Growth()
    no_shows = sorted(no_shows)
    star_minutes, floors = rules.star_minutes, rules.level_floors
    for r in sorted(served, key=lambda s: (s.day, s.seq, s.record_id)):
        stars_before = stars_for_minutes(state.minutes, star_minutes)
        level_before = level_for_points(points_for(state.minutes, state.deed_points, rules), floors)
        growth.events += _deeds(state, r, rules, no_shows)
        stars = stars_for_minutes(state.minutes, star_minutes)
        level = level_for_points(points_for(state.minutes, state.deed_points, rules), floors)
        growth.events += [
            Event("star", r.day, r.record_id, facts={"stars": s})
            for s in range(stars_before + 1, stars + 1)
        ]
        growth.events += [
            Event("level", r.day, r.record_id, facts={"level": n})
            for n in range(level_before + 1, level + 1)
        ]
        for rule in badges:
            if rule.badge_id in growth.awards:
                continue  # once: the first record at which it holds
            facts = _badge_facts(rule, state, r.day, rules)
            if facts is not None:
                growth.awards[rule.badge_id] = Award(rule.badge_id, r.day, r.record_id, facts)
                growth.events.append(
                    Event("badge", r.day, r.record_id, facts={"badge_id": rule.badge_id})
                )
    growth.minutes = state.minutes
    growth.points = points_for(state.minutes, state.deed_points, rules)
    growth.level = level_for_points(growth.points, floors)
    growth.stars = stars_for_minutes(state.minutes, star_minutes)
    growth.services = state.services
    growth.districts = len(state.districts)
    return growth
