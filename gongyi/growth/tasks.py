"""Background work of growth (Django's tasks framework)."""

from django.tasks import task


@task
def rederive_growth() -> int:
    """Re-derive everyone's points, level, stars and badges after the city changed its rules.
    Safe to run twice (or after a later change): it recomputes from the records each time."""
    from gongyi.growth import services

    return services.recompute_all()


@task
def refresh_growth(volunteer_id: int, record_id: int | None = None) -> None:
    """Bring one volunteer's growth up to the records just committed. Queued by the signal
    receivers, so confirming a shift of a hundred volunteers does not replay a hundred
    ledgers inside the leader's request. Safe to run twice: it skips what was read."""
    from gongyi.growth import services

    services.refresh_quietly(volunteer_id, record_id)
