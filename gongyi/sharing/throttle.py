"""Keep share and visit counts honest, cheaply.

- A share counts once per target per caller (the signed-in account, else the address) in
  SHARE_WINDOW; more presses still get the link, they just add nothing. A loop can add at
  most one share per address per window.
- A visit through a short link counts once per link per address in VISIT_WINDOW, and not at
  all when the user agent is a link-preview fetcher or crawler (a chat app fetching the page
  to draw its preview card is not a visitor) or when there is no user agent (every browser
  sends one).

Both are one `cache.add` (atomic in Redis and in the local-memory cache): with several app
processes and no Redis each process keeps its own window, so the bound is per process.
"""

import hashlib

from django.core.cache import cache

SHARE_WINDOW = 10 * 60
VISIT_WINDOW = 30 * 60


def _first_in_window(action: str, link_id: int, who: str, seconds: int) -> bool:
    digest = hashlib.sha256(who.encode()).hexdigest()[:24]
    return cache.add(f"sharing:{action}:{link_id}:{digest}", 1, seconds)


def share_counts(link_id: int, who: str) -> bool:
    """True the first time `who` shares this link in the window."""
    return _first_in_window("share", link_id, who, SHARE_WINDOW)


def visit_counts(link_id: int, who: str) -> bool:
    """True the first time `who` comes through this link in the window."""
    return _first_in_window("visit", link_id, who, VISIT_WINDOW)
