"""Background work of growth (Django's tasks framework)."""

from django.tasks import task


@task
def rederive_growth() -> int:
    """Re-derive everyone's points, level, stars and badges after the city changed its rules.
    Safe to run twice (or after a later change): it recomputes from the records each time."""
    from gongyi.growth import services

    return services.recompute_all()
