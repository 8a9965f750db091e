"""Economic value of service hours (经济价值), by the ILO replacement-cost method.

A city admin keeps one `WageTable` per city and year: which occupation does each main service
category's kind of work, and that occupation's hourly wage (from a published wage survey,
named in `source`). Hours of a category without a `WageRate` are valued at the table's default
occupation and wage (community and social-service workers). The value itself is never stored:
it is computed from the hour tallies and these tables when shown (see selectors.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_OCCUPATION = "社区和社会服务人员"
MIN_WAGE = Decimal("0.01")
MAX_WAGE = Decimal("99999.99")  # max_digits=7, decimal_places=2
FIRST_YEAR, LAST_YEAR = 2000, 2100


def wage_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(MIN_WAGE), MaxValueValidator(MAX_WAGE)],
        help_text=_("Yuan per hour."),
    )


class WageTable(models.Model):
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="wage_tables",
        limit_choices_to={"level": 1},
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the wages come from, e.g. the city's published wage survey."),
    )
    default_occupation = models.CharField(
        _("default occupation"), max_length=60, default=DEFAULT_OCCUPATION
    )
    default_wage = wage_field(_("default hourly wage"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("wage table")
        verbose_name_plural = _("wage tables")
        ordering = ["city", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="wage_table_once_a_year"),
            models.CheckConstraint(
                condition=Q(default_wage__gt=0), name="wage_table_wage_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.year}"


class WageRate(models.Model):
    table = models.ForeignKey(
        WageTable, verbose_name=_("wage table"), on_delete=models.CASCADE, related_name="rates"
    )
    category = models.ForeignKey(
        "projects.Category",
        verbose_name=_("main category"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
    )
    occupation = models.CharField(_("occupation"), max_length=60)
    hourly_wage = wage_field(_("hourly wage"))

    class Meta:
        verbose_name = _("wage rate")
        verbose_name_plural = _("wage rates")
        ordering = ["table", "category__sort_order", "category__code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "category"], name="wage_rate_once_a_table"),
            models.CheckConstraint(condition=Q(hourly_wage__gt=0), name="wage_rate_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.occupation} {self.hourly_wage}"
