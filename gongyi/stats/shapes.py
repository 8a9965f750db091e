"""What each record adds to: the tally shapes, shared by the drain (in Python) and the
recompute (in SQL), so the two cannot drift apart.

A record's keys: its project's district and that district's city (where it was served),
its service day (year, month), and per kind a subject. Corrections copy the keys of the
record they correct, so a correction lands on the same rows as its original.
"""

from dataclasses import dataclass

from gongyi.stats.models import Tally

ALL, YEAR, MONTH = "all", "year", "month"
COMMUNITY_TEAM = "community_team"


@dataclass(frozen=True)
class Shape:
    kind: str
    subject_sql: str  # over r (record), p (project), g (organisation)
    grains: tuple[str, ...]
    where_sql: str = ""


SHAPES = (
    Shape(Tally.Kind.TOTAL, "0", (ALL, YEAR, MONTH)),
    Shape(Tally.Kind.ORGANISATION, "r.organisation_id", (ALL, YEAR, MONTH)),
    Shape(
        Tally.Kind.COMMUNITY,
        "g.community_id",
        (ALL, YEAR, MONTH),
        f"g.kind = '{COMMUNITY_TEAM}' AND g.community_id IS NOT NULL",
    ),
    Shape(Tally.Kind.PROJECT, "r.project_id", (ALL, YEAR)),
    Shape(Tally.Kind.CATEGORY, "p.category_id", (ALL, YEAR)),
    # Only volunteers who opted in are tallied one by one (see RankingConsent).
    Shape(
        Tally.Kind.VOLUNTEER,
        "r.volunteer_id",
        (ALL, YEAR, MONTH),
        "r.volunteer_id IN (SELECT volunteer_id FROM stats_rankingconsent)",
    ),
)

# Region level -> the SQL of its id (d is the project's district).
REGIONS = {"district": "d.id", "city": "d.city_id"}


@dataclass(frozen=True)
class RecordKeys:
    """What the drain reads of one record (see services.FIELDS)."""

    volunteer_id: int
    organisation_id: int
    project_id: int
    served_on: object
    minutes: int
    corrected_minutes: int | None
    district_id: int
    city_id: int | None
    category_id: int
    org_kind: str
    community_id: int | None

    def subject(self, kind: str, consenting: set[int]) -> int | None:
        """The subject this record adds to for `kind`, or None when it adds to none."""
        if kind == Tally.Kind.TOTAL:
            return 0
        if kind == Tally.Kind.ORGANISATION:
            return self.organisation_id
        if kind == Tally.Kind.COMMUNITY:
            return self.community_id if self.org_kind == COMMUNITY_TEAM else None
        if kind == Tally.Kind.PROJECT:
            return self.project_id
        if kind == Tally.Kind.CATEGORY:
            return self.category_id
        return self.volunteer_id if self.volunteer_id in consenting else None

    def regions(self) -> list[int]:
        return [r for r in (self.district_id, self.city_id) if r is not None]

    def periods(self, grains: tuple[str, ...]) -> list[tuple[int, int]]:
        day = self.served_on
        keys = {ALL: (0, 0), YEAR: (day.year, 0), MONTH: (day.year, day.month)}
        return [keys[g] for g in grains]

    def delta(self) -> tuple[int, int]:
        """(minutes, records) this entry adds: a correction replaces what it corrects."""
        before = self.corrected_minutes
        minutes = self.minutes - (before or 0)
        records = (self.minutes > 0) - (before is not None and before > 0)
        return minutes, records
