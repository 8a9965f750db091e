import datetime

import pytest
from django.utils import translation

from gongyi.accounts.identity import IdentityError, check_id_number
from gongyi.accounts.tests.helpers import resident_id, resident_id_ending_in_x

BORN = datetime.date(1990, 3, 7)


def message_of(id_type, number, lang="en"):
    with pytest.raises(IdentityError) as caught:
        check_id_number(id_type, number)
    with translation.override(lang):
        return str(caught.value.message)


def test_valid_resident_id_gives_birth_date_and_gender():
    man = check_id_number("resident_id", resident_id(BORN, order=1))
    woman = check_id_number("resident_id", resident_id(BORN, order=2))
    assert man.birth_date == BORN and man.gender == "M"
    assert woman.birth_date == BORN and woman.gender == "F"
    assert man.masked == man.number[:4] + "*" * 10 + man.number[-4:]


def test_final_x_in_either_case_is_the_same_person():
    upper = resident_id_ending_in_x(BORN)
    lower = upper[:-1] + "x"
    assert check_id_number("resident_id", lower).number == upper
    assert check_id_number("resident_id", f" {lower} ").lookup_key == (
        check_id_number("resident_id", upper).lookup_key
    )


def test_wrong_check_digit_is_named():
    good = resident_id(BORN)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "check digit" in message_of("resident_id", bad)
    assert "校验" in message_of("resident_id", bad, "zh-hans")


def test_wrong_length_is_named():
    assert "18 characters" in message_of("resident_id", resident_id(BORN)[:-2])


def test_impossible_birth_date_is_named():
    body = "31010119900231001"  # 31 February
    from stdnum.cn import ric

    number = body + ric.calc_check_digit(body + "0")
    assert "impossible birth date" in message_of("resident_id", number)


def test_unknown_place_code_is_named():
    body = "99999919900101001"
    from stdnum.cn import ric

    assert "place code" in message_of("resident_id", body + ric.calc_check_digit(body + "0"))


def test_birth_date_in_the_future_is_refused():
    assert "impossible birth date" in message_of(
        "resident_id", resident_id(datetime.date(2099, 1, 1))
    )


def test_letters_in_the_middle_are_a_format_error():
    assert "17 digits" in message_of("resident_id", "3101011990A307001X")


@pytest.mark.parametrize(
    ("id_type", "number"),
    [
        ("passport", "E12345678"),
        ("passport", "g1234567"),
        ("hk_macao", "H12345678"),
        ("hk_macao", "M1234567890"),
        ("taiwan", "12345678"),
        ("taiwan", "1234567890"),
    ],
)
def test_passports_and_permits_in_their_formats(id_type, number):
    doc = check_id_number(id_type, number)
    assert doc.number == number.upper()
    assert doc.birth_date is None and doc.gender == ""


@pytest.mark.parametrize(
    ("id_type", "number", "hint"),
    [
        ("passport", "E12", "5 to 17"),
        ("passport", "E1234-5678", "5 to 17"),
        ("passport", "E" * 18, "5 to 17"),
        ("hk_macao", "A12345678", "H or M"),
        ("hk_macao", "H123456789", "H or M"),
        ("taiwan", "1234567", "8 digits"),
        ("taiwan", "12345678901", "8 digits"),
        ("resident_id", "", "enter your ID"),
        ("driving_licence", "12345678", "valid ID type"),
    ],
)
def test_bad_passports_and_permits_are_refused_with_the_format(id_type, number, hint):
    assert hint in message_of(id_type, number)
