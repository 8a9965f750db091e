"""District sub-platforms (分平台): one district's own address, look and default scope.

A site changes what the pages show by default (the district's projects, organisations,
rankings, dashboard) and how they look (name, logo, colours, banner), never who the people
are: accounts, volunteer profiles and service records are the city's, the same on every site.

A site is reached by its own host name (`jinjiang.gongyi.example`) or, without one, by the
path fallback `/d/<slug>/` (see `gongyi.sites.middleware`).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COLOUR_RE = r"^#[0-9a-f]{6}$"
SLUG_RE = r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$"
DEFAULT_PRIMARY = "#c8102e"  # the city platform's red (static/css/gongyi.css --red)
DEFAULT_ACCENT = "#f2a900"

colour_validator = RegexValidator(COLOUR_RE, _("Give a colour as #rrggbb, e.g. #c8102e."))
slug_validator = RegexValidator(
    SLUG_RE,
    _("2 to 40 lower-case letters, digits and hyphens, starting with a letter."),
)


class Site(models.Model):
    district = models.OneToOneField(
        "regions.Region",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="site",
    )
    name = models.CharField(_("name"), max_length=64)
    # Empty: reached by the path fallback only. Stored lower-case, without port or dot at the end.
    host = models.CharField(_("host name"), max_length=253, blank=True, default="")
    slug = models.CharField(
        _("short name"), max_length=40, unique=True, validators=[slug_validator]
    )
    tagline = models.CharField(_("tagline"), max_length=100, blank=True)
    logo = models.ImageField(_("logo"), upload_to="sites/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="sites/", blank=True)
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default=DEFAULT_PRIMARY, validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default=DEFAULT_ACCENT, validators=[colour_validator]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Moves on with every change: part of the theme stylesheet's address, so browsers that
    # keep the stylesheet for long still see a change at once.
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("district site")
        verbose_name_plural = _("district sites")
        ordering = ["district__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["host"], condition=~Q(host=""), name="site_host_unique"
            ),
            models.CheckConstraint(condition=Q(host=Lower("host")), name="site_host_lower"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def path_prefix(self) -> str:
        """The path fallback's prefix below the platform's root: `d/<slug>/`."""
        return f"d/{self.slug}/"

    @property
    def theme_version(self) -> str:
        return f"{int(self.updated_at.timestamp() * 1000)}"
