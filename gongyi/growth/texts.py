"""The words of growth: timeline titles and badge explanations, in the reader's language.

Events and awards carry plain facts (numbers, names, ISO dates), never sentences, so the same
award reads right in Chinese and in English and a translation fix reaches old awards too.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongyi.growth import rules
from gongyi.growth.models import localised


def _group(facts: dict) -> str:
    return localised(facts.get("group", ""), facts.get("group_en", ""))


def award_reason(kind: str, facts: dict) -> str:
    """Why a badge was earned, from its award's facts."""
    count = facts.get("count", 0)
    match kind:
        case "services":
            return ngettext(
                "Completed %(count)s service.", "Completed %(count)s services.", count
            ) % {"count": count}
        case "hours":
            return _("Reached %(hours)s confirmed hours of service.") % {"hours": facts["hours"]}
        case "districts":
            return _("Served in %(count)s districts: %(districts)s.") % {
                "count": count,
                "districts": "、".join(facts.get("districts", [])),
            }
        case "training":
            return ngettext(
                "Took part in %(count)s training.", "Took part in %(count)s trainings.", count
            ) % {"count": count}
        case "streak":
            return _("Served every month for %(months)s months in a row, from %(from)s.") % facts
        case "group_services":
            return ngettext(
                "Served %(group)s %(count)s time.", "Served %(group)s %(count)s times.", count
            ) % {"group": _group(facts), "count": count}
        case "reliable_year":
            return _("Served from %(from)s to %(to)s (%(days)s days) without a single no-show.") % (
                facts
            )
    return ""


def event_title(event: rules.Event, level_rules: rules.Rules, badge_names: dict[int, str]) -> str:
    """One line of the timeline."""
    facts = event.facts
    match event.kind:
        case "first_service":
            return _("First volunteer service: %(project)s") % facts
        case "new_district":
            return _("First service in %(district)s") % facts
        case "training":
            return _("Training: %(project)s") % facts
        case "streak":
            return _("Served %(months)s months in a row") % facts
        case "star":
            return ngettext("Reached %(n)s star", "Reached %(n)s stars", facts["stars"]) % {
                "n": facts["stars"]
            }
        case "level":
            levels = level_rules.levels
            index = min(facts["level"], len(levels) - 1)
            name = localised(levels[index].name, levels[index].name_en) if levels else ""
            return _("Reached the level %(name)s") % {"name": name}
        case "badge":
            return _("Badge earned: %(badge)s") % {"badge": badge_names.get(facts["badge_id"], "")}
    return event.kind


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars)
