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
    """Rebuild all tallies from the ledger (maintenance: `manage.py recompute_tallies` does
    the same in the foreground)."""
    from gongyi.stats import services

    services.recompute()
