from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "gongyi.stats"
    verbose_name = _("Hour summaries")

    def ready(self) -> None:
        from gongyi.stats import receivers  # noqa: F401
