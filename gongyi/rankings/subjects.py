"""What can be ranked: bases, communities, organisations, teams and (opted-in) volunteers.

Each subject names the tally kind it reads, which ids it is limited to, how the ledger
groups it (for published lists) and how its rows are named on public pages (volunteers
masked, DESIGN invariant 6).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongyi.accounts.models import Volunteer
from gongyi.orgs.models import Organisation
from gongyi.orgs.selectors import named_base_ids
from gongyi.projects.selectors import TEAM_KINDS
from gongyi.regions.models import Region
from gongyi.stats.models import RankingConsent, Tally


@dataclass(frozen=True)
class Subject:
    label: Promise
    kind: str
    ledger_field: str  # what the ledger groups by, for published lists
    among: Callable | None = None  # () -> a queryset of allowed ids
    ledger_filter: Callable[[], Q] | None = None


def _teams():
    return Organisation.objects.filter(kind__in=TEAM_KINDS).values("pk")


SUBJECTS = {
    "bases": Subject(
        _("Public-welfare bases"),
        Tally.Kind.ORGANISATION,
        "organisation_id",
        among=named_base_ids,
        ledger_filter=lambda: Q(organisation_id__in=named_base_ids()),
    ),
    "communities": Subject(
        _("Communities"),
        Tally.Kind.COMMUNITY,
        "organisation__community_id",
        ledger_filter=lambda: Q(organisation__kind="community_team"),
    ),
    "organisations": Subject(_("Organisations"), Tally.Kind.ORGANISATION, "organisation_id"),
    "teams": Subject(
        _("Volunteer teams"),
        Tally.Kind.ORGANISATION,
        "organisation_id",
        among=_teams,
        ledger_filter=lambda: Q(organisation__kind__in=TEAM_KINDS),
    ),
    "volunteers": Subject(
        _("Volunteers"),
        Tally.Kind.VOLUNTEER,
        "volunteer_id",
        ledger_filter=lambda: Q(volunteer_id__in=RankingConsent.objects.values("volunteer_id")),
    ),
}
CHOICES = [(key, subject.label) for key, subject in SUBJECTS.items()]


def names(subject: str, ids: list[int]) -> dict[int, dict]:
    """{id: {"name", "district", "url"}} for public display."""
    if subject == "volunteers":
        found = Volunteer.objects.filter(pk__in=ids).select_related("home_region__parent__parent")
        return {
            v.pk: {
                "name": f"{v.masked_name}（{v.number}）",
                "district": _district_name(v.home_region) if v.home_region else "",
                "url": "",
            }
            for v in found
        }
    if subject == "communities":
        found = Region.objects.filter(pk__in=ids).select_related("parent__parent")
        return {r.pk: {"name": r.name, "district": _district_name(r), "url": ""} for r in found}
    found = Organisation.objects.filter(pk__in=ids).select_related("district")
    return {
        o.pk: {
            "name": o.name,
            "district": o.district.name,
            "url": reverse("orgs:detail", args=[o.pk]),
        }
        for o in found
    }


def _district_name(region: Region) -> str:
    district = region.district
    return district.name if district else ""
