"""Write to the append-only audit log."""

from collections.abc import Iterable

from django.db import models

from gongyi.core.models import AuditEntry


def _entry(actor, action: str, target_type: str, target_id, data: dict) -> AuditEntry:
    return AuditEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        data=data,
    )


def audit_log(*, actor, action: str, target: models.Model, **data) -> AuditEntry:
    """Record that `actor` did `action` to `target`. Call inside the service's transaction."""
    entry = _entry(actor, action, target._meta.label_lower, target.pk, data)
    entry.save(force_insert=True)
    return entry


def audit_log_many(*, actor, action: str, model: type[models.Model], ids: Iterable, **data) -> None:
    """`audit_log` for many rows of one model at once (by id), in bulk inserts."""
    target_type = model._meta.label_lower
    AuditEntry.objects.bulk_create(
        (_entry(actor, action, target_type, pk, data) for pk in ids), batch_size=1000
    )
