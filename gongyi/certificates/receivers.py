"""A correction to a ledger record revokes every live certificate that covers it."""

from django.dispatch import receiver

from gongyi.certificates import services
from gongyi.service.models import ServiceRecord
from gongyi.service.signals import record_corrected


@receiver(record_corrected, sender=ServiceRecord, dispatch_uid="certificates.revoke_on_correction")
def revoke_covering_certificates(sender, record, correction, **kwargs) -> None:
    services.revoke_for_correction(record=record, correction=correction)
