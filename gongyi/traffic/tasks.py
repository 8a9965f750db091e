"""Background work of traffic (Django's tasks framework)."""

from django.tasks import task


@task
def rollup_traffic() -> int:
    """Roll up yesterday and today (and prune old rows). Safe to run twice: a roll-up only
    recomputes from the minute and visitor rows. Returns today's page views so far."""
    from gongyi.traffic import services

    return services.rollup_recent()[-1].visits
