"""Demo data of issue 6 for rankings: named public-welfare bases, volunteers who opted in to
the rankings, the tallies drained, and a published list per city (百强-style)."""

import datetime
import random

from django.utils import timezone

from gongyi.accounts.models import User, Volunteer
from gongyi.orgs.models import BaseDesignation, Organisation
from gongyi.rankings import selectors, services
from gongyi.regions.models import Region
from gongyi.stats import services as stats_services

CITY_ADMINS = {"31": "13900000001", "5101": "13900000002"}


def build_demo_rankings(*, rng: random.Random) -> None:
    _name_bases(rng)
    # The named volunteer 袁志愿 shows up, and about one in three volunteers who served.
    served = list(
        Volunteer.objects.filter(pk__in=_served_ids()).order_by("pk").values_list("pk", flat=True)
    )
    chosen = set(rng.sample(served, len(served) // 3))
    chosen |= set(Volunteer.objects.filter(user__phone="13900000007").values_list("pk", flat=True))
    for volunteer in Volunteer.objects.filter(pk__in=chosen).select_related("user"):
        stats_services.set_ranking_consent(volunteer=volunteer, given=True)
    stats_services.drain()
    _publish_last_year()


def _served_ids():
    from gongyi.service.models import ServiceRecord

    return ServiceRecord.objects.values("volunteer_id")


def _name_bases(rng: random.Random) -> None:
    """About one verified association, school or enterprise in five is a named base."""
    candidates = list(
        Organisation.objects.filter(
            status="verified", kind__in=("association", "school", "enterprise")
        ).order_by("pk")
    )
    now = timezone.now()
    rows = [
        BaseDesignation(
            organisation=org,
            status=BaseDesignation.Status.NAMED,
            statement=f"{org.name}常年开放志愿服务岗位，提供场地与培训。",
            decided_at=now,
            named_on=timezone.localdate(now) - datetime.timedelta(days=rng.randint(30, 700)),
        )
        for org in rng.sample(candidates, len(candidates) // 5)
    ]
    BaseDesignation.objects.bulk_create(rows)


def _publish_last_year() -> None:
    last_year = timezone.localdate().year - 1
    for code, phone in CITY_ADMINS.items():
        city = Region.objects.filter(code=code).first()
        admin = User.objects.filter(phone=phone).first()
        if city is None or admin is None:
            continue
        query = selectors.Query("organisations", city, last_year, 0)
        services.publish_ranking(
            actor=admin,
            query=query,
            as_of=datetime.date(last_year, 12, 31),
            title=f"{city.name}{last_year}年度志愿服务组织百强",
        )
