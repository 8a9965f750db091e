"""Background work of the signups app (Django's tasks framework)."""

from django.tasks import task


@task
def run_due_draws() -> int:
    """Draw every lottery project whose recruitment has closed. Safe to run twice."""
    from gongyi.signups import services

    return len(services.run_due_draws())
