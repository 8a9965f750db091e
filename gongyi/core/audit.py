"""Write to the append-only audit log."""

from django.db import models

from gongyi.core.models import AuditEntry


def audit_log(*, actor, action: str, target: models.Model, **data) -> AuditEntry:
    """Record that `actor` did `action` to `target`. Call inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data,
    )
