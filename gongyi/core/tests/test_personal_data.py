from gongyi.core.crypto import decrypt, encrypt, lookup_hash
from gongyi.core.masking import mask_id_number, mask_name, mask_phone


def test_id_number_masked_keeps_only_the_ends():
    assert mask_id_number("310101199001011234") == "3101**********1234"


def test_names_and_phones_masked():
    assert mask_name("袁明") == "袁*"
    assert mask_name("袁小明") == "袁**"
    assert mask_phone("13812344567") == "138****4567"


def test_encryption_round_trips_and_hides_the_number():
    token = encrypt("310101199001011234")
    assert "310101199001011234" not in token
    assert decrypt(token) == "310101199001011234"
    assert encrypt("310101199001011234") != token  # random IV: equal numbers do not show


def test_lookup_hash_is_keyed_and_stable(settings):
    first = lookup_hash("310101199001011234")
    assert first == lookup_hash("310101199001011234")
    settings.PII_KEY = "another-key"
    assert lookup_hash("310101199001011234") != first
