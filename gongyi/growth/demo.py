"""Demo growth: everyone's points, levels, stars and badges, and a few public identity cards.

Call after the demo records exist (`gongyi.service.demo.build_demo_records`). The figures are
derived from those records, like everywhere else; the cards opted in are the named demo
volunteer's (袁志愿, 13900000007) and those of the volunteers with the most points, so the
public card pages have something to show. Safe to run twice.
"""

from gongyi.accounts.models import Volunteer
from gongyi.growth import services
from gongyi.growth.models import CardSettings, GrowthSummary

NAMED_VOLUNTEER_PHONES = ("13900000007",)


def build_demo_growth(*, public_cards: int = 5) -> int:
    """Recompute every volunteer's growth; opt the named volunteer and the `public_cards`
    volunteers with the most points in to the public card. Returns how many were computed."""
    services.ensure_settings()
    count = services.recompute_all()
    named = list(
        Volunteer.objects.filter(user__phone__in=NAMED_VOLUNTEER_PHONES).values_list(
            "pk", flat=True
        )
    )
    leaders = list(
        GrowthSummary.objects.order_by("-points", "volunteer_id").values_list(
            "volunteer_id", flat=True
        )[:public_cards]
    )
    for volunteer_id in dict.fromkeys(named + leaders):
        CardSettings.objects.update_or_create(
            volunteer_id=volunteer_id, defaults={"is_public": True}
        )
    return count
