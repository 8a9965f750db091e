"""Reads for certificates and passports: lists, verification look-ups, passport figures.

Hours come from the ledger only, through `gongyi.service.selectors` (invariant 5).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404

from gongyi import permissions
from gongyi.accounts.models import Volunteer
from gongyi.certificates.models import Certificate, CertificateRecord, Passport
from gongyi.certificates.numbers import normalise, same_code
from gongyi.growth.selectors import stars_for_hours  # the city's star thresholds
from gongyi.orgs.models import Organisation
from gongyi.service.selectors import effective_records, hours

# --- certificates ---------------------------------------------------------------------------


def my_certificates(*, volunteer: Volunteer) -> QuerySet[Certificate]:
    return Certificate.objects.filter(volunteer=volunteer).order_by("-issued_at", "-id")


def certificate_for_holder(*, user, number: str) -> Certificate:
    """The certificate, for its holder only: 404 when unknown, 403 for anybody else."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("volunteer"), number=normalise(number)
    )
    permissions.require(permissions.can_download_certificate(user, certificate))
    return certificate


def _matching(documents: QuerySet, *, number: str, code: str):
    """The document with this number and code; None for an unknown number or a wrong code
    (both answer the same, so a number alone reveals nothing)."""
    found = documents.filter(number=normalise(number)).first()
    return found if found is not None and same_code(found.code, normalise(code)) else None


def find_certificate(*, number: str, code: str) -> Certificate | None:
    """The certificate (live or revoked) with this number and code, or None."""
    return _matching(Certificate.objects.all(), number=number, code=code)


@dataclass
class CoveredRow:
    served_on: date
    activity: str
    place: str
    content: str
    organisation: str
    minutes: int

    @property
    def hours(self) -> str:
        return hours(self.minutes)


def covered_rows(certificate: Certificate) -> list[CoveredRow]:
    """The records a certificate covers, as certified (records are never edited)."""
    rows = (
        CertificateRecord.objects.filter(certificate=certificate)
        .select_related("record__organisation")
        .order_by("record__served_on", "record__seq")
    )
    return [
        CoveredRow(
            served_on=row.record.served_on,
            activity=row.record.activity,
            place=row.record.place,
            content=row.record.content,
            organisation=row.record.organisation.name,
            minutes=row.minutes,
        )
        for row in rows
    ]


def served_projects(*, volunteer: Volunteer) -> list[tuple[int, str]]:
    """The projects the volunteer has effective hours in (for choosing what to certify)."""
    projects = effective_records(volunteer).order_by().values_list("project_id", "project__title")
    return sorted(projects.distinct(), key=lambda project: (project[1], project[0]))


# --- passports ------------------------------------------------------------------------------


def current_passport(*, volunteer: Volunteer) -> Passport | None:
    """The live passport (applied or issued), else the latest rejected application."""
    passports = Passport.objects.filter(volunteer=volunteer).select_related("volunteer", "district")
    live = passports.filter(status__in=Passport.LIVE).first()
    return live or passports.order_by("-applied_at", "-id").first()


def passport_queue(*, user) -> QuerySet[Passport]:
    """Applications waiting in the districts this user administers (none for others), each
    with the applicant's `total_minutes` (from the ledger, in the same query)."""
    served = (
        effective_records(OuterRef("volunteer"))
        .order_by()
        .values("volunteer")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return (
        Passport.objects.filter(
            status=Passport.Status.APPLIED,
            district_id__in=permissions.admin_district_ids(user),
        )
        .select_related("volunteer", "district")
        .annotate(total_minutes=Coalesce(Subquery(served), 0))
        .order_by("applied_at", "id")
    )


def passport_to_decide(*, user, pk: int) -> Passport:
    passport = get_object_or_404(Passport.objects.select_related("volunteer", "district"), pk=pk)
    permissions.require(permissions.can_issue_passport(user, passport))
    return passport


def find_passport(*, number: str, code: str) -> Passport | None:
    """The issued passport with this number and code, or None."""
    issued = Passport.objects.filter(status=Passport.Status.ISSUED)
    return _matching(issued.select_related("volunteer", "district"), number=number, code=code)


@dataclass
class Stamp:
    """One organisation served: a stamp in the passport."""

    organisation_id: int
    name: str
    kind: str
    minutes: int
    first_served_on: date

    @property
    def hours(self) -> str:
        return hours(self.minutes)

    @property
    def kind_label(self) -> str:
        return str(Organisation.Kind(self.kind).label) if self.kind else ""


@dataclass
class PassportSummary:
    total_minutes: int
    stars: int
    years: list[tuple[int, int]] = field(default_factory=list)  # (year, minutes)
    stamps: list[Stamp] = field(default_factory=list)

    @property
    def hours(self) -> str:
        return hours(self.total_minutes)

    @property
    def stars_text(self) -> str:
        return "★" * self.stars + "☆" * (5 - self.stars)

    @property
    def year_rows(self) -> list[tuple[int, str]]:
        return [(year, hours(minutes)) for year, minutes in self.years]


def passport_summary(volunteer: Volunteer) -> PassportSummary:
    """Stars, hours by year and one stamp per organisation, all from effective records."""
    records = effective_records(volunteer).order_by()
    by_year = (
        records.annotate(year=ExtractYear("served_on"))
        .values("year")
        .annotate(minutes=Sum("minutes"))
        .order_by("year")
    )
    stamps = (
        records.values("organisation_id", "organisation__name", "organisation__kind")
        .annotate(minutes=Sum("minutes"), first=Min("served_on"))
        .order_by("first", "organisation_id")
    )
    years = [(row["year"], row["minutes"]) for row in by_year]
    total = sum(minutes for _year, minutes in years)  # the same records, summed once more
    return PassportSummary(
        total_minutes=total,
        stars=stars_for_hours(total / 60),
        years=years,
        stamps=[
            Stamp(
                organisation_id=row["organisation_id"],
                name=row["organisation__name"],
                kind=row["organisation__kind"],
                minutes=row["minutes"],
                first_served_on=row["first"],
            )
            for row in stamps
        ],
    )
