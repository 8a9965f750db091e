from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "gongyi.sharing"
    verbose_name = _("Sharing")

    def ready(self) -> None:
        # Other kinds ("card", "snapshot") register the same way from their own apps:
        # see the docstring of gongyi.sharing.kinds.
        from gongyi.sharing import project_kind

        project_kind.register()
