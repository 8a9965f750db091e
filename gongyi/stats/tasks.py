"""Background work of the tallies (Django's tasks framework). Both are safe to run twice."""

from django.tasks import task


@task
def drain_tallies() -> int:
    """Add the records committed since the last drain. Queued after every record's commit,
    so the rankings are seconds behind the ledger, not minutes."""
    from gongyi.stats import services

    return services.drain()


@task
def recompute_tallies() -> None:
    """Rebuild all tallies, after a change that moves records between keys (a project moved
    to another district or category, an organisation's community changed)."""
    from gongyi.stats import services

    services.recompute()
