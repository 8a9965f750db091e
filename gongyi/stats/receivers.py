"""Keep the tallies in step with the ledger. Connected in StatsConfig.ready().

- A new record leaves a queue row inside its own transaction (post_save runs there), and
  once committed a drain is queued.
- A project or organisation whose tally keys change (district, category; kind, community)
  moves its records between rows: a full recompute is queued after the commit.
"""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from gongyi.orgs.models import Organisation
from gongyi.projects.models import Project
from gongyi.service.models import ServiceRecord
from gongyi.service.signals import record_added
from gongyi.stats import services
from gongyi.stats.tasks import drain_tallies, recompute_tallies

KEY_FIELDS = {Project: ("district_id", "category_id"), Organisation: ("kind", "community_id")}


@receiver(post_save, sender=ServiceRecord, dispatch_uid="stats.queue_record")
def queue_record(sender, instance, created, **kwargs) -> None:
    if created:
        services.queue_record(instance.pk)


@receiver(record_added, sender=ServiceRecord, dispatch_uid="stats.drain_on_record")
def drain_on_record(sender, record, **kwargs) -> None:
    drain_tallies.enqueue()


def _keys(model, pk) -> tuple | None:
    return model.objects.filter(pk=pk).values_list(*KEY_FIELDS[model]).first()


@receiver(pre_save, sender=Project, dispatch_uid="stats.project_keys_before")
@receiver(pre_save, sender=Organisation, dispatch_uid="stats.org_keys_before")
def keys_before(sender, instance, **kwargs) -> None:
    instance._tally_keys_before = _keys(sender, instance.pk) if instance.pk else None


@receiver(post_save, sender=Project, dispatch_uid="stats.project_keys_after")
@receiver(post_save, sender=Organisation, dispatch_uid="stats.org_keys_after")
def keys_after(sender, instance, created, **kwargs) -> None:
    before = getattr(instance, "_tally_keys_before", None)
    after = tuple(getattr(instance, name) for name in KEY_FIELDS[sender])
    if before is not None and before != after:
        transaction.on_commit(recompute_tallies.enqueue)
