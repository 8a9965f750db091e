"""Background work of the accounts app, run by `manage.py db_worker`."""

from django.tasks import task


@task()
def deliver_sms(phone: str, text: str) -> None:
    """Hand one message to the configured SMS sender. Safe to run twice (a repeated text)."""
    from gongyi.accounts.sms import sender

    sender().send(phone, text)
