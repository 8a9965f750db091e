from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "gongyi.growth"
    verbose_name = _("Growth")

    def ready(self) -> None:
        from gongyi.growth import (
            receivers,  # noqa: F401  (connects the signal receivers)
            share_kind,
        )

        share_kind.register()
