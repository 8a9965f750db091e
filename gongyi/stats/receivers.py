"""Keep the tallies in step with the ledger. Connected in StatsConfig.ready().

- A new record leaves a queue row inside its own transaction (post_save runs there), and
  once that transaction commits one drain is queued, however many records it appended.
- A project or organisation whose tally keys change (district, category; kind, community)
  moves its drained records from the old rows to the new ones, in the same transaction.
"""

from django.db import connection, transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from gongyi.orgs.models import Organisation
from gongyi.projects.models import Project
from gongyi.service.models import ServiceRecord
from gongyi.stats import services
from gongyi.stats.tasks import drain_tallies


@receiver(post_save, sender=ServiceRecord, dispatch_uid="stats.queue_record")
def queue_record(sender, instance, created, **kwargs) -> None:
    if created:
        services.queue_record(instance.pk)
        _drain_after_commit()


def _enqueue_drain() -> None:
    # `drain_tallies` is looked up when this runs, not bound when the callback is registered,
    # so a test that replaces this module's `drain_tallies` replaces the worker too.
    drain_tallies.enqueue()


class _DrainOnCommit:
    """The on-commit callback that queues the drain. An object rather than the bare function
    so that one still pending can be told from one that already ran: a test's transaction
    never commits, and `captureOnCommitCallbacks` runs the callbacks but leaves them in
    `connection.run_on_commit` (a real commit empties it)."""

    def __init__(self) -> None:
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        _enqueue_drain()


def _drain_after_commit() -> None:
    """Queue one drain when the current transaction commits, not one per record: one drain
    takes every queued record, and each takes the global tally lock, so confirming a
    50-person shift should not queue 50 of them.

    Django keeps the callbacks pending in this transaction in `connection.run_on_commit` as
    (savepoint ids, func, robust) tuples. Skipping ours when one is already pending is safe
    with savepoints: if it was registered inside a savepoint that is still open, this record
    is inside it too and a rollback removes both; a released savepoint cannot be rolled back
    alone. Outside a transaction on_commit runs the callback at once: nothing is pending."""
    pending = any(
        isinstance(func, _DrainOnCommit) and not func.ran for _, func, _ in connection.run_on_commit
    )
    if not pending:
        transaction.on_commit(_DrainOnCommit())


def _project_keys(pk: int) -> dict | None:
    found = Project.objects.filter(pk=pk).values("district_id", "district__city_id", "category_id")
    row = found.first()
    if row is None:
        return None
    return {
        "district_id": row["district_id"],
        "city_id": row["district__city_id"],
        "category_id": row["category_id"],
    }


def _org_keys(pk: int) -> dict | None:
    row = Organisation.objects.filter(pk=pk).values("kind", "community_id").first()
    return None if row is None else {"org_kind": row["kind"], "community_id": row["community_id"]}


KEYS = {Project: _project_keys, Organisation: _org_keys}
# The fields of the saved row the keys come from (a project's city follows its district).
OWN_FIELDS = {
    Project: {"district_id": "district_id", "category_id": "category_id"},
    Organisation: {"org_kind": "kind", "community_id": "community_id"},
}


def _changed(model, instance, before: dict) -> bool:
    """Whether the save changed a key: read off the instance, no query."""
    return any(before[key] != getattr(instance, field) for key, field in OWN_FIELDS[model].items())


RECORDS_OF = {Project: "project_id", Organisation: "organisation_id"}


@receiver(pre_save, sender=Project, dispatch_uid="stats.project_keys_before")
@receiver(pre_save, sender=Organisation, dispatch_uid="stats.org_keys_before")
def keys_before(sender, instance, **kwargs) -> None:
    instance._tally_keys_before = KEYS[sender](instance.pk) if instance.pk else None


@receiver(post_save, sender=Project, dispatch_uid="stats.project_keys_after")
@receiver(post_save, sender=Organisation, dispatch_uid="stats.org_keys_after")
def keys_after(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_tally_keys_before", None)
    if before is not None and _changed(sender, instance, before):
        records = ServiceRecord.objects.filter(**{RECORDS_OF[sender]: instance.pk})
        services.rekey(records=records, before=before)
