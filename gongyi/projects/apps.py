from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "gongyi.projects"
    verbose_name = _("Projects")

    def ready(self):
        from django.db.models.signals import post_migrate

        from gongyi.projects.search import ensure_sqlite_index

        post_migrate.connect(ensure_sqlite_index, sender=self)
