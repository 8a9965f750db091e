"""Synthetic people for the demo: Chinese names, mobile numbers and ID numbers that pass GB 11643.

Everything is drawn from a seeded random generator, so the demo is the same on every machine.
"""

import datetime
import random

from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢"
    "宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    "桂英华玉兰萍建国红梅鹏飞晨宇欣怡浩然子轩雨涵梓萱思远嘉怡一诺"
)


def chinese_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def resident_id(rng: random.Random, place_code: str, birth: datetime.date, *, male: bool) -> str:
    """An 18-character resident ID: a real birth date, a gender digit, a valid check digit."""
    sequence = rng.randrange(0, 1000)
    sequence = sequence - sequence % 2 + (1 if male else 0)  # 17th digit: odd for men
    body = f"{place_code}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def birth_date(rng: random.Random, today: datetime.date) -> datetime.date:
    """Mostly adults; about one in twenty aged 14–17, who will need a guardian."""
    age = rng.randint(14, 17) if rng.random() < 0.05 else rng.randint(18, 75)
    return today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
