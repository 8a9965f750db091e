"""Background work of the dashboard (Django's tasks framework); safe to run twice."""

from django.tasks import task


@task
def refresh_dashboards() -> int:
    """Recompute the snapshot of every city and district (the lead runs it every minute)."""
    from gongyi.dashboard import services

    return services.refresh_all()
