"""Is this request a person? The user-agent test shared by sharing (visits through short
links) and traffic (page views): link-preview fetchers, crawlers and scripts are not people.

A chat app fetching a page to draw its preview card is not a visitor, nor is a request with
no user agent at all (every browser sends one).
"""

import re

# Link-preview fetchers and crawlers that follow links shared in chats and on the web.
# Real people's in-app browsers (WeChat's MicroMessenger, QQ, Weibo, DingTalk) are not here.
# Lower case, searched in the lowered agent: re.IGNORECASE makes this search about seven times
# slower (43 µs against 6 µs for a phone's agent), and traffic runs it on page views.
PREVIEW_AGENTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|embedly"
    r"|whatsapp|telegram|slack|discord|skype|linkedin|pinterest|vkshare|redditbot"
    r"|mastodon|bluesky|iframely|outbrain|headless|curl/|wget/|python-requests|python-urllib"
    r"|httpclient|okhttp|go-http-client|java/"
)


def is_preview_fetch(user_agent: str) -> bool:
    """A request that is not a person opening the page: a bot, a preview fetcher, no agent."""
    return not user_agent.strip() or bool(PREVIEW_AGENTS.search(user_agent.lower()))
