"""Reads of growth: the city's rules, a volunteer's growth (derived), stars for other apps.

`stars_for_hours` lives here (the passport in gongyi.certificates imports it): it reads the
city's thresholds. A volunteer's growth is always computed by `rules.compute` from their
effective records (`gongyi.service.selectors.effective_records`) and no-shows; the summary
rows are that computation stored (see models.py).
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Max, QuerySet

from gongyi.accounts.models import Volunteer
from gongyi.attendance.models import Attendance
from gongyi.core.clock import LOCAL_TZ
from gongyi.growth import rules, texts
from gongyi.growth.models import (
    MIN_STAR_HOURS,
    Badge,
    BadgeAward,
    CardSettings,
    GrowthSettings,
    GrowthSummary,
    localised,
)
from gongyi.orgs.models import Organisation
from gongyi.projects.models import Beneficiary, Project
from gongyi.service.models import ServiceRecord
from gongyi.service.selectors import effective_records, hours

# --- the city's settings --------------------------------------------------------------------------


def current_settings() -> GrowthSettings:
    """The settings row; the first read makes it with the defaults (services.ensure_settings)."""
    found = GrowthSettings.objects.select_related("elderly_group").filter(pk=1).first()
    if found is not None:
        return found
    from gongyi.growth.services import ensure_settings  # a read that must first make the row

    return ensure_settings()


def rules_of(settings: GrowthSettings) -> rules.Rules:
    """The settings as the plain data the rules read."""
    groups = {
        g.code: rules.Group(g.pk, g.name, g.name_en)
        for g in Beneficiary.objects.only("pk", "code", "name", "name_en")
    }
    elderly = settings.elderly_group
    return rules.Rules(
        star_hours=tuple(settings.star_hours),
        points_per_hour=settings.points_per_hour,
        points_first_service=settings.points_first_service,
        points_training=settings.points_training,
        points_streak=settings.points_streak,
        points_new_district=settings.points_new_district,
        streak_months=settings.streak_months,
        levels=tuple(
            rules.Level(lv["points"], lv["name"], lv.get("name_en", "")) for lv in settings.levels
        ),
        training_category_ids=frozenset(settings.training_categories.values_list("pk", flat=True)),
        elderly_group=groups.get(elderly.code) if elderly is not None else None,
        groups=groups,
        version=settings.version,
    )


def current_rules() -> rules.Rules:
    return rules_of(current_settings())


def waiting_count(settings: GrowthSettings) -> int:
    """Summaries not yet re-derived under the current settings (the task is still running)."""
    return GrowthSummary.objects.exclude(settings_version=settings.version).count()


def stars_for_hours(total_hours: float) -> int:
    """0–5 stars for a number of confirmed hours, at the city's thresholds (default
    100/300/600/1000/1500 hours): reaching a threshold exactly earns its star.

    The city may set no first star below MIN_STAR_HOURS, so below it there is no star to
    find and the settings are not read: most volunteers' passports then cost no query."""
    if total_hours < MIN_STAR_HOURS:
        return 0
    thresholds = current_settings().star_hours
    return sum(total_hours >= threshold for threshold in thresholds)


def active_badges() -> QuerySet[Badge]:
    return Badge.objects.filter(is_active=True).order_by("sort_order", "code")


def badge_rules(badges) -> list[rules.BadgeRule]:
    """The rules of the badges; a badge whose params were broken by hand is left out."""
    found = []
    for badge in badges:
        try:
            params = rules.check_params(badge.kind, badge.params)
        except rules.ParamsError:
            continue
        found.append(rules.BadgeRule(badge.pk, badge.kind, params))
    return found


# --- one volunteer's facts ------------------------------------------------------------------------


def served(volunteer) -> list[rules.Served]:
    """The volunteer's effective records as the rules read them: two queries."""
    rows = list(
        effective_records(volunteer).values_list(
            "pk",
            "seq",
            "served_on",
            "minutes",
            "project_id",
            "project__title",
            "project__district_id",
            "project__district__name",
            "project__category_id",
            "project__subcategory_id",
        )
    )
    project_ids = {row[4] for row in rows}
    groups: dict[int, set[int]] = {}
    through = Project.beneficiaries.through.objects.filter(project_id__in=project_ids)
    for project_id, group_id in through.values_list("project_id", "beneficiary_id"):
        groups.setdefault(project_id, set()).add(group_id)
    return [
        rules.Served(
            record_id=pk,
            seq=seq,
            day=day,
            minutes=minutes,
            project_id=project_id,
            project_title=title,
            district_id=district_id,
            district_name=district_name,
            category_ids=frozenset(c for c in (category_id, subcategory_id) if c),
            beneficiary_ids=frozenset(groups.get(project_id, ())),
        )
        for (
            pk,
            seq,
            day,
            minutes,
            project_id,
            title,
            district_id,
            district_name,
            category_id,
            subcategory_id,
        ) in rows
    ]


def last_record_id(volunteer) -> int | None:
    """The id of the volunteer's newest record, corrected or not."""
    return ServiceRecord.objects.filter(volunteer=volunteer).aggregate(last=Max("pk"))["last"]


def has_read(volunteer_id: int, record_id: int) -> bool:
    """Whether the stored summary was computed with this record already in view."""
    return GrowthSummary.objects.filter(
        volunteer_id=volunteer_id, last_record_id__gte=record_id
    ).exists()


def no_show_days(volunteer) -> list[date]:
    """The (local) days of the shifts the volunteer was marked a no-show for."""
    starts = Attendance.objects.filter(signup__volunteer=volunteer, no_show=True).values_list(
        "signup__shift__starts_at", flat=True
    )
    return sorted(moment.astimezone(LOCAL_TZ).date() for moment in starts)


def compute_growth(volunteer, rules_now: rules.Rules | None = None, badges=None) -> rules.Growth:
    """The volunteer's growth from scratch (the reference every summary must equal)."""
    rules_now = rules_now or current_rules()
    badges = badge_rules(active_badges()) if badges is None else badges
    return rules.compute(served(volunteer), rules_now, badges, no_show_days(volunteer))


# --- what pages and the API show ------------------------------------------------------------------


@dataclass
class Figures:
    minutes: int
    points: int
    level: int
    stars: int
    services: int
    districts: int

    @property
    def hours(self) -> str:
        return hours(self.minutes)


def stored_figures(volunteer) -> Figures:
    """The stored summary; zeros for a volunteer with no record (no row is made for them)."""
    summary = GrowthSummary.objects.filter(volunteer=volunteer).first()
    if summary is None:
        return Figures(0, 0, 0, 0, 0, 0)
    return Figures(
        summary.minutes,
        summary.points,
        summary.level,
        summary.stars,
        summary.services,
        summary.districts,
    )


def level_name(level_rules: rules.Rules, index: int) -> str:
    if not level_rules.levels:
        return ""
    level = level_rules.levels[min(index, len(level_rules.levels) - 1)]
    return localised(level.name, level.name_en)


def live_awards(volunteer) -> QuerySet[BadgeAward]:
    """The badges the volunteer holds now (withdrawn ones are not shown)."""
    return (
        BadgeAward.objects.filter(
            volunteer=volunteer, revoked_at__isnull=True, badge__is_active=True
        )
        .select_related("badge")
        .order_by("awarded_on", "id")
    )


# --- "My growth" ----------------------------------------------------------------------------------


@dataclass
class BadgeView:
    badge: Badge
    earned: bool
    awarded_on: date | None = None
    reason: str = ""


@dataclass
class TimelineRow:
    kind: str
    day: date
    title: str
    points: int


@dataclass
class MyGrowth:
    growth: rules.Growth
    city_rules: rules.Rules
    level_name: str
    next_level_name: str | None
    stars: rules.Progress  # in minutes
    level: rules.Progress  # in points
    badges: list[BadgeView]
    timeline: list[TimelineRow]  # newest first

    @property
    def hours(self) -> str:
        return hours(self.growth.minutes)

    @property
    def stars_text(self) -> str:
        return texts.stars_text(self.growth.stars)

    @property
    def next_star_hours(self) -> int | None:
        target = self.stars.target
        return None if target is None else target // 60

    @property
    def hours_left(self) -> str:
        return hours(self.stars.left)


def my_growth(volunteer) -> MyGrowth:
    """Everything the volunteer's growth page and API show, computed live from the records
    (one volunteer: a few queries), so it is right even before a refresh has run."""
    rules_now = current_rules()
    badges = list(active_badges())
    growth = compute_growth(volunteer, rules_now, badge_rules(badges))
    names = {badge.pk: badge.label for badge in badges}
    views = []
    for badge in badges:
        award = growth.awards.get(badge.pk)
        if award is None:
            views.append(BadgeView(badge, earned=False))
        else:
            reason = texts.award_reason(badge.kind, award.facts)
            views.append(BadgeView(badge, earned=True, awarded_on=award.day, reason=reason))
    views.sort(key=lambda v: (not v.earned, v.awarded_on or date.max, v.badge.sort_order))
    level_progress = rules.progress(growth.points, rules_now.level_floors)
    timeline = [
        TimelineRow(e.kind, e.day, texts.event_title(e, rules_now, names), e.points)
        for e in reversed(growth.events)
    ]
    return MyGrowth(
        growth=growth,
        city_rules=rules_now,
        level_name=level_name(rules_now, growth.level),
        next_level_name=(
            level_name(rules_now, level_progress.next_index)
            if level_progress.next_index is not None
            else None
        ),
        stars=rules.progress(growth.minutes, rules_now.star_minutes),
        level=level_progress,
        badges=views,
        timeline=timeline,
    )


# --- the identity card ----------------------------------------------------------------------------

TEAM_KINDS = ("community_team", "professional_team", "special_team")
CARD_TEAMS = 4
CARD_PROJECTS = 5
CARD_BADGES = 8


@dataclass
class Card:
    """What the public card shows: nothing personal beyond the masked name and the number."""

    number: str
    masked_name: str
    stars: int
    minutes: int
    level_name: str
    badges: list[str]
    teams: list[str]
    projects: list[str]

    @property
    def hours(self) -> str:
        return hours(self.minutes)

    @property
    def stars_text(self) -> str:
        return texts.stars_text(self.stars)

    def version(self) -> str:
        """Changes whenever anything drawn on the card changes (the image cache key)."""
        data = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:32]


def card_teams(volunteer) -> list[str]:
    """Verified volunteer teams the volunteer is an active member of."""
    teams = Organisation.objects.filter(
        kind__in=TEAM_KINDS,
        status=Organisation.Status.VERIFIED,
        memberships__user_id=volunteer.user_id,
        memberships__status="active",
    )
    return list(teams.order_by("name").values_list("name", flat=True).distinct()[:CARD_TEAMS])


def recent_projects(volunteer) -> list[str]:
    """Titles of the projects served most recently (no dates: the card is public)."""
    rows = effective_records(volunteer).order_by("-served_on", "-seq")
    titles: dict[str, None] = {}  # by title: two projects of one name read as one
    for title in rows.values_list("project__title", flat=True)[:200]:
        titles.setdefault(title)
        if len(titles) == CARD_PROJECTS:
            break
    return list(titles)


def card_of(volunteer) -> Card:
    figures = stored_figures(volunteer)
    levels = current_settings().levels
    level = levels[min(figures.level, len(levels) - 1)] if levels else {}
    return Card(
        number=volunteer.number,
        masked_name=volunteer.masked_name,
        stars=figures.stars,
        minutes=figures.minutes,
        level_name=localised(level.get("name", ""), level.get("name_en", "")),
        badges=[award.badge.label for award in live_awards(volunteer)[:CARD_BADGES]],
        teams=card_teams(volunteer),
        projects=recent_projects(volunteer),
    )


def is_card_public(volunteer) -> bool:
    return CardSettings.objects.filter(volunteer=volunteer, is_public=True).exists()


def public_volunteer(number: str) -> Volunteer | None:
    """The volunteer with this number if their card is public; None otherwise, the same for
    an unknown number and a private card, so the answer leaks nothing."""
    if not number or len(number) > 16:
        return None
    return (
        Volunteer.objects.filter(number=number, card_settings__is_public=True)
        .select_related("user")
        .first()
    )


def card_settings_of(volunteer) -> CardSettings:
    """The volunteer's card settings (private when never set; not saved by reading)."""
    found = CardSettings.objects.filter(volunteer=volunteer).first()
    return found or CardSettings(volunteer=volunteer, is_public=False)
