"""The "card" share kind: a volunteer's public identity card (key: the volunteer number).

Registered in `GrowthConfig.ready()`. Only a card its holder made public resolves; an unknown
number and a private card both resolve to None, as the card page answers the same 404.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongyi.growth import selectors
from gongyi.sharing import kinds

KIND = "card"


def card_target(volunteer) -> kinds.ShareTarget:
    """The share target of a volunteer whose card is public (no query)."""
    return kinds.ShareTarget(
        kind=KIND,
        key=volunteer.number,
        path=reverse("growth:card", args=[volunteer.number]),
        title=_("Volunteer %(name)s") % {"name": volunteer.masked_name},
        description=_("Stars, service hours and badges of a volunteer of the city."),
        image_path=reverse("growth:card_png", args=[volunteer.number]),
        project_id=None,  # a card belongs to no project: counted on its link only
        is_public=True,
    )


def resolve(key: str) -> kinds.ShareTarget | None:
    volunteer = selectors.public_volunteer(key)
    return card_target(volunteer) if volunteer is not None else None


def register() -> None:
    kinds.register(KIND, resolve, label=gettext_lazy("Identity card"))
