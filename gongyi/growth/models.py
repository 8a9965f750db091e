"""Growth (成长体系): the city's rules, badges, and per-volunteer figures derived from the ledger.

Nothing here is a source of truth. Points, level, stars and badge awards are all derived from
a volunteer's effective service records (and their no-shows) under the city's settings
(invariant 5): `GrowthSummary` and `BadgeAward` are caches that `services.refresh_volunteer`
rewrites from scratch, and `manage.py recompute_growth` rebuilds for everyone.

One `GrowthSettings` row serves the platform: DESIGN.md gives a deployment one city (the
city admin "of one city"), and a volunteer's growth must not change when they move house,
which a per-city rule keyed on the home region would make happen without any new record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Hours at which a volunteer holds one to five stars (成都: 100/300/600/1000/1500 小时).
DEFAULT_STAR_HOURS = [100, 300, 600, 1000, 1500]
# The least the city may set for the first star: a star is a mark of lasting service, and
# below it `selectors.stars_for_hours` knows the answer (0) without reading the settings.
MIN_STAR_HOURS = 10
DEFAULT_LEVELS = [
    {"points": 0, "name": "志愿新人", "name_en": "Newcomer"},
    {"points": 100, "name": "志愿新星", "name_en": "Rising star"},
    {"points": 1000, "name": "志愿先锋", "name_en": "Pioneer"},
    {"points": 3000, "name": "志愿骨干", "name_en": "Mainstay"},
    {"points": 6000, "name": "志愿标兵", "name_en": "Model volunteer"},
    {"points": 10000, "name": "志愿楷模", "name_en": "Exemplar"},
]
# Category and beneficiary codes (projects/data/categories.json) chosen when the settings row
# is first made; the city admin changes them on the settings page.
DEFAULT_TRAINING_CODES = ("health_first_aid", "emergency_drill")
DEFAULT_ELDERLY_CODE = "elderly"


def _star_hours() -> list[int]:
    return list(DEFAULT_STAR_HOURS)


def _levels() -> list[dict]:
    return [dict(level) for level in DEFAULT_LEVELS]


def localised(name: str, name_en: str) -> str:
    """The English name on English pages when there is one, else the Chinese name."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name


class GrowthSettings(models.Model):
    """The city's growth rules (one row, pk 1), edited by the city admin on /growth/settings/."""

    star_hours = models.JSONField(_("star thresholds (hours)"), default=_star_hours)
    points_per_hour = models.PositiveIntegerField(_("points per hour"), default=10)
    points_first_service = models.PositiveIntegerField(
        _("points for the first service"), default=50
    )
    points_training = models.PositiveIntegerField(_("points per training"), default=20)
    points_streak = models.PositiveIntegerField(_("points per streak"), default=30)
    points_new_district = models.PositiveIntegerField(
        _("points for serving in a new district"), default=20
    )
    streak_months = models.PositiveSmallIntegerField(
        _("months in a row that make a streak"), default=3
    )
    levels = models.JSONField(_("levels"), default=_levels)
    training_categories = models.ManyToManyField(
        "projects.Category",
        verbose_name=_("training categories"),
        blank=True,
        related_name="+",
    )
    elderly_group = models.ForeignKey(
        "projects.Beneficiary",
        verbose_name=_("the elderly (beneficiary group)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("growth settings")
        verbose_name_plural = _("growth settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="growth_settings_single_row"),
            models.CheckConstraint(condition=Q(streak_months__gte=2), name="growth_streak_min"),
        ]

    def __str__(self) -> str:
        return str(_("Growth settings"))


class Badge(models.Model):
    """A badge and its rule: `kind` is implemented in `gongyi.growth.rules`, `params` tune it.

    Seeded by a data migration; the city admin edits names, texts and params in the admin.
    """

    class Kind(models.TextChoices):
        SERVICES = "services", _("Number of services")
        HOURS = "hours", _("Hours served")
        DISTRICTS = "districts", _("Districts served in")
        GROUP_SERVICES = "group_services", _("Services for a beneficiary group")
        TRAINING = "training", _("Trainings")
        STREAK = "streak", _("Months in a row")
        RELIABLE_YEAR = "reliable_year", _("A year without a no-show")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=200)
    description_en = models.CharField(_("English description"), max_length=300, blank=True)
    kind = models.CharField(_("rule"), max_length=20, choices=Kind.choices)
    params = models.JSONField(_("rule parameters"), default=dict, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return localised(self.name, self.name_en)

    @property
    def text(self) -> str:
        return localised(self.description, self.description_en)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from gongyi.growth.rules import ParamsError, check_params

        try:
            self.params = check_params(self.kind, self.params)
        except ParamsError as error:
            raise ValidationError({"params": str(error)}) from None


class GrowthSummary(models.Model):
    """One volunteer's figures, as last derived from their records (a cache, see module doc)."""

    volunteer = models.OneToOneField(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="growth",
    )
    minutes = models.PositiveIntegerField(_("minutes served"), default=0)
    points = models.PositiveIntegerField(_("points"), default=0)
    level = models.PositiveSmallIntegerField(_("level"), default=0)  # index into the levels
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    services = models.PositiveIntegerField(_("services"), default=0)
    districts = models.PositiveSmallIntegerField(_("districts"), default=0)
    settings_version = models.PositiveIntegerField(_("settings version"), default=0)
    # The newest of the volunteer's records (corrected or not) the figures were read with.
    # One volunteer's records commit in id order (appends hold the volunteer's lock), so a
    # record whose id is not above it was already counted: its refresh can be skipped.
    last_record_id = models.PositiveBigIntegerField(_("last record read"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("growth summary")
        verbose_name_plural = _("growth summaries")
        constraints = [
            models.CheckConstraint(condition=Q(stars__lte=5), name="growth_stars_at_most_five"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.points}"


class BadgeAward(models.Model):
    """A badge a volunteer earned: one row per (volunteer, badge), ever.

    Created the first time the badge's rule holds (and the volunteer is told then, once).
    Its day, record and facts are re-derived on every refresh. A later correction that
    breaks the rule withdraws it (`revoked_at`, not shown), because every badge shown must be
    derivable from the records (invariant 5); should the rule hold again, the same row is
    reinstated: never a second award, never a second notice.
    """

    volunteer = models.ForeignKey(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="badge_awards",
    )
    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.CASCADE, related_name="awards"
    )
    awarded_on = models.DateField(_("awarded on"))  # served_on of the record that made it hold
    record = models.ForeignKey(
        "service.ServiceRecord",
        verbose_name=_("service record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facts = models.JSONField(_("facts"), default=dict, blank=True)  # what the explanation says
    created_at = models.DateTimeField(_("first awarded at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["awarded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "badge"], name="badge_awarded_once"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.badge_id} · {self.awarded_on}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class CardSettings(models.Model):
    """Whether the volunteer's identity card (身份展示) is public. Off unless they opt in."""

    volunteer = models.OneToOneField(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="card_settings",
    )
    is_public = models.BooleanField(_("show my card publicly"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("identity card settings")
        verbose_name_plural = _("identity card settings")

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.is_public}"
