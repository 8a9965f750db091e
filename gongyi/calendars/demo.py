"""Demo calendars: the named demo volunteer's private feed URL and two saved searches.

Call after the demo people, projects and signups exist (`DemoBuilder.build`). The volunteer
袁志愿 (13900000007) gets a live feed URL (its key is shown only here, so the answer carries
the path for the builder to print) and saved searches whose feeds list real shifts.
Safe to run twice: the searches are kept, the feed URL is re-issued (the old one ends).
"""

from django.urls import reverse

from gongyi.accounts.models import Volunteer
from gongyi.calendars import services
from gongyi.calendars.models import SavedSearch
from gongyi.regions.models import Region

DEMO_VOLUNTEER_PHONE = "13900000007"
HUANGPU = "310101"


def _searches() -> list[tuple[str, str]]:
    """(name, finder query) of the demo searches; the weekend one needs 黄浦区's row id."""
    searches = [("线上晚间服务", "mode=online&time_of_day=evening")]
    huangpu = Region.objects.filter(code=HUANGPU).values_list("pk", flat=True).first()
    if huangpu is not None:
        searches.insert(0, ("黄浦区周末", f"district={huangpu}&weekday=6&weekday=7"))
    return searches


def build_demo_calendars() -> dict[str, str]:
    """Paths of the demo feeds: `volunteer_feed` (private) and one per saved search by name;
    empty when the demo volunteer does not exist."""
    volunteer = (
        Volunteer.objects.select_related("user").filter(user__phone=DEMO_VOLUNTEER_PHONE).first()
    )
    if volunteer is None:
        return {}
    _token, key = services.feed_token_issue(volunteer=volunteer)
    paths = {"volunteer_feed": reverse("api:calendar_volunteer_feed", args=[key])}
    have = dict(SavedSearch.objects.filter(user=volunteer.user).values_list("name", "feed_key"))
    for name, query in _searches():
        if name not in have:
            have[name] = services.saved_search_create(
                user=volunteer.user, name=name, query=query
            ).feed_key
        paths[name] = reverse("api:calendar_search_feed", args=[have[name]])
    return paths
