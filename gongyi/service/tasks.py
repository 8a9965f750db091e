"""Background work of the service app (Django's tasks framework); each is safe to run twice."""

from django.tasks import task


@task
def flag_overdue_hours() -> int:
    """Flag hours not confirmed within 10 working days; tell the org's admins and district."""
    from gongyi.service import services

    return services.flag_overdue_hours()


@task
def escalate_disputes() -> int:
    """Send disputes unresolved after 5 working days to the district admin."""
    from gongyi.service import services

    return services.escalate_disputes()
