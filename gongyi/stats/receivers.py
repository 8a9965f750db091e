"""Keep the tallies in step with the ledger. Connected in StatsConfig.ready().

- A new record leaves a queue row inside its own transaction (post_save runs there), and
  once committed a drain is queued.
- A project or organisation whose tally keys change (district, category; kind, community)
  moves its drained records from the old rows to the new ones, in the same transaction.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from gongyi.orgs.models import Organisation
from gongyi.projects.models import Project
from gongyi.service.models import ServiceRecord
from gongyi.service.signals import record_added
from gongyi.stats import services
from gongyi.stats.tasks import drain_tallies


@receiver(post_save, sender=ServiceRecord, dispatch_uid="stats.queue_record")
def queue_record(sender, instance, created, **kwargs) -> None:
    if created:
        services.queue_record(instance.pk)


@receiver(record_added, sender=ServiceRecord, dispatch_uid="stats.drain_on_record")
def drain_on_record(sender, record, **kwargs) -> None:
    drain_tallies.enqueue()


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
