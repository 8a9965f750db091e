"""SMS codes leave through the database task queue and its worker, not in the request."""

import pytest
from django.core.management import call_command

from gongyi.accounts import services, sms


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_code_waits_in_the_queue_until_the_worker_runs(transactional_db, database_queue, outbox):
    # transactional_db: the worker opens and closes connections, as it does in production.
    services.send_code(phone="13700000001", purpose="signup")
    assert outbox == []  # queued, not sent in the request

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    assert [phone for phone, _ in outbox] == ["13700000001"]
    assert "验证码" in outbox[0][1]


def test_memory_sender_is_used_in_tests(settings):
    assert sms.sender().__class__.__name__ == "MemorySender"
