from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrafficConfig(AppConfig):
    name = "gongyi.traffic"
    verbose_name = _("Platform traffic")
