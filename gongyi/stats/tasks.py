"""Background work of the tallies (Django's tasks framework). Safe to run twice."""

from django.tasks import task


@task
def drain_tallies() -> int:
    """Add the records committed since the last drain. Queued after every record's commit,
    so the rankings are seconds behind the ledger, not minutes."""
    from gongyi.stats import services

    return services.drain()
