"""The unread-notice count for the navigation badge (add to TEMPLATES context_processors)."""

from django.utils.functional import SimpleLazyObject

from gongyi.notices.selectors import unread_count


def inbox(request):
    user = request.user
    # Lazy: a page that never shows the badge never pays for the query.
    return {"unread_notices": SimpleLazyObject(lambda: unread_count(user=user))}
