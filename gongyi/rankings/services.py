"""Writes of rankings: publishing a dated list, and a volunteer's consent to be ranked."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi import permissions
from gongyi.accounts.models import User
from gongyi.core.audit import audit_log
from gongyi.core.errors import ServiceError, require_allowed
from gongyi.rankings import selectors
from gongyi.rankings.models import PublishedRanking
from gongyi.rankings.subjects import SUBJECTS
from gongyi.regions.selectors import city_of
from gongyi.signups.services import volunteer_of
from gongyi.stats import services as stats_services

__all__ = ["publish_ranking", "set_consent"]


def publish_ranking(
    *, actor: User, query: selectors.Query, as_of: date, title: str = ""
) -> PublishedRanking:
    """Freeze the ranking of `query` as of `as_of` (records served up to that day, as the
    ledger stands now). Later corrections never change it."""
    require_allowed(permissions.is_city_admin(actor, city_of(query.region)))
    if as_of > timezone.localdate():
        raise ServiceError("future_date", _("The date cannot be in the future."), field="as_of")
    title = (title or "").strip()
    if len(title) > 100:
        raise ServiceError("too_long", _("At most 100 characters."), field="title")
    if not title:
        label = SUBJECTS[query.subject].label
        title = f"{query.region.name} {label} {query.period} ({as_of:%Y-%m-%d})"
    entries = selectors.ledger_ranking(query, as_of=as_of)
    with transaction.atomic():
        published = PublishedRanking.objects.create(
            subject=query.subject,
            region=query.region,
            year=query.year,
            month=query.month,
            as_of=as_of,
            title=title,
            entries=entries,
            published_by=actor,
        )
        audit_log(
            actor=actor,
            action="ranking.published",
            target=published,
            subject=query.subject,
            period=query.period,
            as_of=as_of.isoformat(),
        )
    return published


def set_consent(*, actor: User, given: bool) -> bool:
    """The signed-in volunteer lets their hours be ranked publicly (or stops it)."""
    volunteer = volunteer_of(actor)
    return stats_services.set_ranking_consent(volunteer=volunteer, given=given)
