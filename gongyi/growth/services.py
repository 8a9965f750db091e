"""Writes of growth: refresh a volunteer's derived figures, the city's settings, the card opt-in.

`refresh_volunteer` is the one place the summary and the awards are written. It runs after
every append or correction of a record (receivers.py, on commit) for that one volunteer, and
for everyone in `recompute_all` (`manage.py recompute_growth`, and the task queued when the
city changes its settings). It always computes from scratch, so running it twice, late or
out of order changes nothing: the last run wins with the truth of the records.

Concurrency: a refresh takes the lock of the volunteer's summary row before it reads the
records, so two refreshes of one volunteer queue; the later one reads every record the
earlier saw, and more (PostgreSQL reads committed data per statement).
"""

import itertools
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongyi import permissions
from gongyi.accounts.models import Volunteer
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.growth import rules, selectors, texts
from gongyi.growth.models import (
    DEFAULT_ELDERLY_CODE,
    DEFAULT_TRAINING_CODES,
    MIN_STAR_HOURS,
    Badge,
    BadgeAward,
    CardSettings,
    GrowthSettings,
    GrowthSummary,
)
from gongyi.notices.services import notify
from gongyi.projects.models import Beneficiary, Category
from gongyi.service.models import ServiceRecord

log = logging.getLogger(__name__)

STAR_COUNT = 5  # one to five stars
MAX_POINTS = 100_000  # per hour or per deed: more is a typing error
MAX_LEVELS = 20
MAX_LEVEL_NAME = 20
POINT_FIELDS = (
    "points_per_hour",
    "points_first_service",
    "points_training",
    "points_streak",
    "points_new_district",
)


# --- the settings ---------------------------------------------------------------------------------


def ensure_settings() -> GrowthSettings:
    """The settings row, made with the defaults the first time (training categories and the
    elderly group chosen by their codes, when the taxonomy is loaded)."""
    with transaction.atomic():
        found, created = GrowthSettings.objects.get_or_create(pk=1)
        if created:
            found.elderly_group = Beneficiary.objects.filter(code=DEFAULT_ELDERLY_CODE).first()
            found.save(update_fields=["elderly_group"])
            found.training_categories.set(Category.objects.filter(code__in=DEFAULT_TRAINING_CODES))
    return found


def _check_star_hours(star_hours) -> list[int]:
    values = list(star_hours or [])
    whole = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    if len(values) != STAR_COUNT or not whole or values[0] < MIN_STAR_HOURS:
        raise ServiceError(
            "bad_star_hours",
            _("Give five whole numbers of hours, the first at least %(n)s.")
            % {"n": MIN_STAR_HOURS},
            field="star_hours",
        )
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ServiceError(
            "star_hours_not_increasing",
            _(
                "Star thresholds must be strictly increasing: each star needs more hours than "
                "the one before (e.g. 100, 300, 600, 1000, 1500)."
            ),
            field="star_hours",
        )
    if values[-1] > MAX_POINTS:
        raise ServiceError(
            "bad_star_hours",
            _("At most %(n)s hours for a star.") % {"n": MAX_POINTS},
            field="star_hours",
        )
    return values


def _check_levels(levels) -> list[dict]:
    """Levels: a name (and an English name) and a point floor each, floors strictly rising
    from 0, so every volunteer has exactly one level."""
    checked = []
    for level in levels or []:
        points = level.get("points")
        name = str(level.get("name", "")).strip()
        name_en = str(level.get("name_en", "")).strip()
        if not isinstance(points, int) or isinstance(points, bool) or not 0 <= points <= 10**9:
            raise ServiceError("bad_levels", _("Each level needs whole points."), field="levels")
        if not name or len(name) > MAX_LEVEL_NAME or len(name_en) > MAX_LEVEL_NAME * 2:
            raise ServiceError(
                "bad_levels",
                _("Each level needs a name of at most %(n)s characters.") % {"n": MAX_LEVEL_NAME},
                field="levels",
            )
        checked.append({"points": points, "name": name, "name_en": name_en})
    if not checked or len(checked) > MAX_LEVELS or checked[0]["points"] != 0:
        raise ServiceError(
            "bad_levels",
            _("Give 1 to %(n)s levels; the first starts at 0 points.") % {"n": MAX_LEVELS},
            field="levels",
        )
    floors = [level["points"] for level in checked]
    if any(b <= a for a, b in itertools.pairwise(floors)):
        raise ServiceError(
            "levels_not_increasing",
            _("Level points must be strictly increasing."),
            field="levels",
        )
    return checked


def _check_points(values: dict) -> dict:
    for name, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_POINTS:
            raise ServiceError(
                "bad_points",
                _("Points must be a whole number from 0 to %(n)s.") % {"n": MAX_POINTS},
                field=name,
            )
    return values


def update_settings(
    *,
    actor,
    star_hours: list[int],
    levels: list[dict],
    points: dict[str, int],
    streak_months: int,
    training_category_ids: list[int],
    elderly_group_id: int | None,
) -> GrowthSettings:
    """The city admin changes the rules; everyone's growth is then re-derived in the
    background (a task queued on commit; safe to run twice: it recomputes from the records).
    `points`: points_per_hour, points_first_service, points_training, points_streak,
    points_new_district."""
    require_allowed(permissions.can_edit_growth_settings(actor))
    star_hours = _check_star_hours(star_hours)
    levels = _check_levels(levels)
    points = _check_points({name: points.get(name) for name in POINT_FIELDS})
    if not isinstance(streak_months, int) or not 2 <= streak_months <= 24:
        raise ServiceError(
            "bad_streak_months",
            _("A streak is 2 to 24 months in a row."),
            field="streak_months",
        )
    categories = list(Category.objects.filter(pk__in=set(training_category_ids)))
    if len(categories) != len(set(training_category_ids)):
        raise ServiceError(
            "unknown_category", _("Choose existing categories."), field="training_categories"
        )
    elderly = None
    if elderly_group_id is not None:
        elderly = Beneficiary.objects.filter(pk=elderly_group_id).first()
        if elderly is None:
            raise ServiceError(
                "unknown_group", _("Choose an existing beneficiary group."), field="elderly_group"
            )
    with transaction.atomic():
        found = selectors.current_settings()
        found = GrowthSettings.objects.select_for_update().get(pk=found.pk)
        found.star_hours, found.levels, found.streak_months = star_hours, levels, streak_months
        for name, value in points.items():
            setattr(found, name, value)
        found.elderly_group, found.updated_by = elderly, actor
        found.version += 1
        found.save()
        found.training_categories.set(categories)
        audit_log(
            actor=actor,
            action="growth.settings_changed",
            target=found,
            star_hours=star_hours,
            levels=levels,
            streak_months=streak_months,
            training_categories=sorted(c.pk for c in categories),
            elderly_group=elderly_group_id,
            **points,
        )
        transaction.on_commit(queue_rederive)
    return found


def queue_rederive() -> None:
    from gongyi.growth.tasks import rederive_growth

    rederive_growth.enqueue()


# --- refreshing one volunteer ---------------------------------------------------------------------


def _locked_summary(volunteer: Volunteer) -> tuple[GrowthSummary, bool]:
    """The volunteer's summary row, locked (made first when missing); True when new."""
    _summary, created = GrowthSummary.objects.get_or_create(volunteer=volunteer)
    return GrowthSummary.objects.select_for_update().get(pk=volunteer.pk), created


def _sync_awards(volunteer: Volunteer, growth: rules.Growth, now) -> list[BadgeAward]:
    """Make the award rows say what the records say; returns the awards made just now."""
    rows = {a.badge_id: a for a in BadgeAward.objects.filter(volunteer=volunteer)}
    made, changed = [], []
    for badge_id, award in growth.awards.items():
        fields = {
            "awarded_on": award.day,
            "record_id": award.record_id,
            "facts": award.facts,
            "revoked_at": None,
        }
        row = rows.get(badge_id)
        if row is None:
            made.append(BadgeAward(volunteer=volunteer, badge_id=badge_id, **fields))
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    for badge_id, row in rows.items():
        if badge_id not in growth.awards and row.revoked_at is None:
            row.revoked_at = now  # the rule no longer holds: withdrawn, the row stays
            changed.append(row)
    # ignore_conflicts: never a second award, whatever else is racing (the unique pair).
    BadgeAward.objects.bulk_create(made, ignore_conflicts=True)
    BadgeAward.objects.bulk_update(changed, ["awarded_on", "record", "facts", "revoked_at"])
    return made


def _tell(volunteer: Volunteer, stars_before: int, growth: rules.Growth, made) -> None:
    """Notices of a new star or badge, in the platform's language: a refresh runs in the
    request of whoever confirmed the hours, whose language says nothing of the volunteer's."""
    with translation.override(settings.LANGUAGE_CODE):
        _tell_now(volunteer, stars_before, growth, made)


def _tell_now(volunteer: Volunteer, stars_before: int, growth: rules.Growth, made) -> None:
    url = reverse("growth:mine")
    if growth.stars > stars_before:
        notify(
            user=volunteer.user,
            kind="growth.stars",
            title=_("You are now a %(n)s-star volunteer") % {"n": growth.stars},
            body=texts.stars_text(growth.stars),
            url=url,
        )
    if not made:
        return
    badges = Badge.objects.in_bulk([award.badge_id for award in made])
    for award in made:
        badge = badges[award.badge_id]
        notify(
            user=volunteer.user,
            kind="growth.badge",
            title=_("New badge: %(badge)s") % {"badge": badge.label},
            body=texts.award_reason(badge.kind, award.facts),
            url=url,
        )


def refresh_volunteer(
    *,
    volunteer_id: int,
    tell: bool = True,
    rules_now: rules.Rules | None = None,
    badges: list[rules.BadgeRule] | None = None,
) -> GrowthSummary | None:
    """Re-derive one volunteer's summary and awards from their records (None: no such
    volunteer). `tell`: notify them of a new star or badge (not in bulk recomputes)."""
    volunteer = Volunteer.objects.select_related("user").filter(pk=volunteer_id).first()
    if volunteer is None:
        return None
    rules_now = rules_now or selectors.current_rules()
    if badges is None:
        badges = selectors.badge_rules(selectors.active_badges())
    now = timezone.now()
    with transaction.atomic():
        summary, created = _locked_summary(volunteer)
        stars_before = 0 if created else summary.stars
        summary.last_record_id = selectors.last_record_id(volunteer)  # read before the rest
        growth = selectors.compute_growth(volunteer, rules_now, badges)
        for name, value in growth.figures().items():
            setattr(summary, name, value)
        summary.settings_version, summary.computed_at = rules_now.version, now
        summary.save()
        made = _sync_awards(volunteer, growth, now)
        if tell:
            _tell(volunteer, stars_before, growth, made)
    return summary


def volunteers_to_recompute() -> list[int]:
    """Everyone with a record, a summary or an award (a volunteer with none has nothing)."""
    ids = set(ServiceRecord.objects.order_by().values_list("volunteer_id", flat=True).distinct())
    ids |= set(GrowthSummary.objects.values_list("volunteer_id", flat=True))
    ids |= set(BadgeAward.objects.order_by().values_list("volunteer_id", flat=True).distinct())
    return sorted(ids)


def recompute_all() -> int:
    """Rebuild every summary and award from the records (quietly: nobody is notified).
    One volunteer per transaction, so a long run never holds many locks."""
    rules_now = selectors.current_rules()
    badges = selectors.badge_rules(selectors.active_badges())
    count = 0
    for volunteer_id in volunteers_to_recompute():
        refresh_volunteer(volunteer_id=volunteer_id, tell=False, rules_now=rules_now, badges=badges)
        count += 1
    return count


def refresh_quietly(volunteer_id: int, record_id: int | None = None) -> None:
    """For the signal receivers. Skipped when a refresh has already read the record (one
    transaction that appends many records, like the demo's, refreshes each volunteer once).
    A failed refresh must not fail the hours that were just committed: the summary is a
    cache that `recompute_growth` rebuilds."""
    try:
        if record_id is not None and selectors.has_read(volunteer_id, record_id):
            return
        refresh_volunteer(volunteer_id=volunteer_id)
    except Exception:
        log.exception("growth refresh failed for volunteer %s", volunteer_id)


# --- the identity card ----------------------------------------------------------------------------


def set_card_public(*, volunteer: Volunteer, actor, is_public: bool) -> CardSettings:
    """Opt in to (or out of) the public identity card; only the volunteer decides."""
    require_allowed(permissions.can_edit_card(actor, volunteer))
    if not isinstance(is_public, bool):
        raise ServiceError("bad_choice", _("Choose yes or no."), field="is_public")
    with transaction.atomic():
        card, _created = CardSettings.objects.select_for_update().get_or_create(volunteer=volunteer)
        if card.is_public != is_public:
            card.is_public = is_public
            card.save(update_fields=["is_public", "updated_at"])
            action = "growth.card_public" if is_public else "growth.card_private"
            audit_log(actor=actor, action=action, target=card)
    return card
