"""Count the platform's page views (definitions in `gongyi.traffic.selectors`).

Placed right after WhiteNoise in settings.MIDDLEWARE: static files never reach it, and pages
that views answer from the page cache are counted like any other. It wraps the session
middleware, so a session created by this very response is already keyed when it looks.

Per request it does a few comparisons, one keyed hash and a dictionary update under a lock
(`gongyi.traffic.buffer`); the database sees one short write per process every few seconds.
Nothing here can break the response: any error is logged and the response goes out.
`settings.TRAFFIC_RECORDING = False` turns counting off (the test suite does, so that other
apps' query counts are not disturbed by a flush).
"""

import logging

from django.conf import settings

from gongyi.traffic import buffer, counting

logger = logging.getLogger(__name__)


class TrafficMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = counting.skipped_prefixes()

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(settings, "TRAFFIC_RECORDING", True):
            return response
        try:
            if counting.is_page_view(request, response, self.skipped):
                into = buffer.BUFFER
                now = into.clock()
                minute = int(now // 60)
                into.add(minute, counting.visitor_of(request, minute), now)
        except Exception:
            logger.exception("traffic: could not count a page view")
        return response
