"""Background work of the dashboard (Django's tasks framework); safe to run twice."""

from django.tasks import task


@task
def refresh_dashboards() -> int:
    """Recompute the snapshot of every city and district, as a task. What runs every minute
    is the command (`manage.py refresh_dashboards`, in `make run`), not this task."""
    from gongyi.dashboard import services

    return services.refresh_all()
