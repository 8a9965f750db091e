"""`{% absolute_uri path %}`: a path on this site as a full address (for meta tags and links
that leave the site, such as a short link copied into a chat)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_uri(context, path: str | None) -> str:
    request = context.get("request")
    if not path:
        return ""
    return request.build_absolute_uri(path) if request is not None else path
