from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "gongyi.service"
    verbose_name = _("Service hours")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from gongyi.service.ledger import ensure_append_only_triggers

        # SQLite rebuilds a table for most ALTERs and drops its triggers with it: put them
        # back after every migrate (idempotent; the 0002 migration created them first).
        post_migrate.connect(ensure_append_only_triggers, sender=self)
