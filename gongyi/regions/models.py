"""Administrative divisions (行政区划): city → district → street → community."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.Model):
    class Level(models.IntegerChoices):
        CITY = 1, pgettext_lazy("region level", "City")
        DISTRICT = 2, pgettext_lazy("region level", "District")
        STREET = 3, pgettext_lazy("region level", "Street")
        COMMUNITY = 4, pgettext_lazy("region level", "Community")

    # GB/T 2260 codes for cities and districts; functional zones and the street/community
    # sample carry project-defined codes (see regions/data/README.md).
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The city every region belongs to (itself for a city): scopes look-ups in one query.
    city = models.ForeignKey(
        "self",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_functional_zone = models.BooleanField(_("functional zone"), default=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district(self) -> "Region | None":
        """The district this region is in (itself for a district), None for a city."""
        node = self
        while node is not None and node.level > self.Level.DISTRICT:
            node = node.parent
        return node if node is not None and node.level == self.Level.DISTRICT else None

    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))
