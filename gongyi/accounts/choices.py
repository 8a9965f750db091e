"""Fixed choices of the volunteer profile.

The service categories are the national main list; a later issue moves them into a
`Category` table, so codes (not labels) are what profiles store.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

SERVICE_CATEGORIES = [
    ("community", _("Community service")),
    ("poverty", _("Poverty alleviation")),
    ("education", _("Teaching and study support")),
    ("health", _("Health and medical care")),
    ("legal", _("Legal services")),
    ("environment", _("Environmental protection")),
    ("science", _("Science popularisation")),
    ("culture", _("Culture and arts")),
    ("public_safety", _("Public safety")),
    ("civility", _("Civic virtue")),
    ("traffic", _("Traffic guidance")),
    ("fire", _("Volunteer firefighting")),
    ("emergency", _("Emergency rescue")),
    ("anti_drug", _("Anti-drug awareness")),
    ("sports", _("Sports and fitness")),
    ("tourism", _("Tourism services")),
    ("special_groups", _("Care for special groups")),
    ("major_events", _("Major events")),
    ("epidemic", _("Epidemic prevention")),
    ("other", _("Other")),
]

WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]

DAY_PERIODS = [
    ("am", _("Morning")),
    ("pm", _("Afternoon")),
    ("eve", _("Evening")),
]

# One slot per weekday and period, stored as "sat-am".
AVAILABILITY_SLOTS = [
    (f"{day}-{period}", format_lazy("{} {}", day_label, period_label))
    for day, day_label in WEEKDAYS
    for period, period_label in DAY_PERIODS
]

CATEGORY_CODES = frozenset(code for code, _label in SERVICE_CATEGORIES)
SLOT_CODES = frozenset(code for code, _label in AVAILABILITY_SLOTS)


def category_label(code: str) -> str:
    return str(dict(SERVICE_CATEGORIES).get(code, code))
