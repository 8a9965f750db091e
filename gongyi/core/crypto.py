"""Personal-data protection: encryption at rest and keyed hashes for look-up.

The ID-card number is stored only as Fernet ciphertext (random IV, so equal numbers give
different ciphertexts) plus an HMAC-SHA256 of its normal form, which is what unique
constraints and look-ups use. Both keys derive from GONGYI_PII_KEY.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings


@cache
def _keys(secret: str) -> tuple[Fernet, bytes]:
    root = secret.encode()
    enc_key = hashlib.sha256(b"gongyi-pii-encrypt:" + root).digest()
    mac_key = hashlib.sha256(b"gongyi-pii-lookup:" + root).digest()
    return Fernet(base64.urlsafe_b64encode(enc_key)), mac_key


def encrypt(plaintext: str) -> str:
    fernet, _ = _keys(settings.PII_KEY)
    return fernet.encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    fernet, _ = _keys(settings.PII_KEY)
    return fernet.decrypt(token.encode("ascii")).decode()


def lookup_hash(value: str) -> str:
    """Keyed hash of a normalised value, for unique constraints and searches."""
    _, mac_key = _keys(settings.PII_KEY)
    return hmac.new(mac_key, value.encode(), hashlib.sha256).hexdigest()
