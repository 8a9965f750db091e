from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "gongyi.certificates"
    verbose_name = _("Certificates and passports")

    def ready(self) -> None:
        # Connects the receiver of service's `record_corrected` (a correction revokes).
        from gongyi.certificates import receivers  # noqa: F401
