import pytest

from gongyi.accounts import sms


@pytest.fixture
def outbox():
    """The SMS messages sent during the test."""
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
