from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ValueConfig(AppConfig):
    name = "gongyi.value"
    verbose_name = _("Economic value")
