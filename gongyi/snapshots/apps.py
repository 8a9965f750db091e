from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SnapshotsConfig(AppConfig):
    name = "gongyi.snapshots"
    verbose_name = _("Project snapshots")

    def ready(self) -> None:
        from gongyi.snapshots import share_kind

        share_kind.register()
