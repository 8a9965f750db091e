"""What every page's navigation needs to know about the viewer's roles."""

from django.utils.functional import SimpleLazyObject

from gongyi import permissions


def roles(request):
    user = request.user
    # Lazy: pages that never show the reviewer links never pay for the queries.
    district_admin = SimpleLazyObject(lambda: permissions.is_district_admin(user))
    city_admin = SimpleLazyObject(lambda: permissions.is_city_admin(user))
    return {
        "is_district_admin": district_admin,
        "is_city_admin": city_admin,
        "is_reviewer": SimpleLazyObject(lambda: bool(district_admin) or bool(city_admin)),
        "is_organiser": SimpleLazyObject(lambda: permissions.leads_any_org(user)),
    }
