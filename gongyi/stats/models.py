"""Hour summaries over the ledger: the figures rankings, the dashboard and economic value read.

A `Tally` row holds the effective minutes and records of one subject (a volunteer, an
organisation, a community, a project, a category, or the whole region) in one region (a city
or a district: where the service was done, the project's district) and one period (all time,
a year, or a month of a year).

Tallies are kept from the records, never edited by hand (DESIGN invariant 5):
- Every appended record leaves its id in `TallyQueue` inside its own transaction; the
  background drain (`services.drain`) adds each queued record's *delta* and deletes the queue
  row in one transaction. A correction copies the volunteer, project and day of the record
  it corrects, so its delta is `minutes - corrected.minutes` on the same keys, and deltas
  telescope to the latest entry: the order records are drained in does not matter.
- `services.recompute` rebuilds every tally from the records with one GROUP BY per shape;
  tests prove the drained tallies equal it and equal a naive sum over effective records.
Why not a trigger per record: every confirmation would update the same city row, and all
confirmations of the city would queue behind one row lock (DESIGN, "What was measured").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    class Kind(models.TextChoices):
        TOTAL = "total", _("All service")
        VOLUNTEER = "volunteer", _("Volunteer")
        ORGANISATION = "organisation", _("Organisation")
        COMMUNITY = "community", _("Community")
        PROJECT = "project", _("Project")
        CATEGORY = "category", _("Category")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,  # summary rows: the recompute rewrites them in bulk
    )
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("0: all time"))
    month = models.PositiveSmallIntegerField(_("month"), help_text=_("0: the whole year"))
    subject_id = models.BigIntegerField(_("subject"), help_text=_("0 for the whole region"))
    minutes = models.BigIntegerField(_("minutes"), default=0)
    records = models.BigIntegerField(_("records"), default=0)

    class Meta:
        verbose_name = _("hour tally")
        verbose_name_plural = _("hour tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "year", "month", "subject_id"], name="tally_once"
            ),
        ]
        indexes = [
            # The top-100 of a kind, region and period reads this index in order.
            models.Index(
                fields=["kind", "region", "year", "month", "-minutes", "subject_id"],
                name="tally_top",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.subject_id}@{self.region_id} {self.year}-{self.month}"


class TallyQueue(models.Model):
    """A record whose delta the tallies do not hold yet (written in the record's transaction)."""

    record_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = _("record waiting for the tallies")
        verbose_name_plural = _("records waiting for the tallies")

    def __str__(self) -> str:
        return str(self.record_id)


class TallyLock(models.Model):
    """One row: the drain, the recompute and consent changes take it, so they never overlap.
    It holds nothing: it is only there to be locked."""

    class Meta:
        verbose_name = _("tally state")
        verbose_name_plural = _("tally state")

    def __str__(self) -> str:
        return f"TallyLock {self.pk}"


class RankingConsent(models.Model):
    """A volunteer who lets their hours appear in the public volunteer rankings (opt-in).
    Only their hours are tallied per volunteer: the rankings of people show nobody else."""

    volunteer = models.OneToOneField(
        "accounts.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="ranking_consent",
    )
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ranking consent")
        verbose_name_plural = _("ranking consents")

    def __str__(self) -> str:
        return str(self.volunteer)
