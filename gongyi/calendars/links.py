"""The addresses the calendars hand out: feed URLs (https and webcal) and page links."""

from django.urls import reverse


def webcal(url: str) -> str:
    """The feed's address for "subscribe" links (calendar apps open webcal://)."""
    return "webcal://" + url.split("://", 1)[-1]


def volunteer_feed_url(request, key: str) -> str:
    return request.build_absolute_uri(reverse("api:calendar_volunteer_feed", args=[key]))


def org_feed_url(request, org) -> str:
    return request.build_absolute_uri(reverse("api:calendar_org_feed", args=[org.pk]))


def search_feed_url(request, search) -> str:
    return request.build_absolute_uri(reverse("api:calendar_search_feed", args=[search.feed_key]))


def with_query(path: str, query: str) -> str:
    return f"{path}?{query}" if query else path
