from django.contrib import admin

from gongyi.sites.models import Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    """Read-only: sites are created and changed on their pages (/sites/manage/) or through the
    API, where every value is checked, images re-encoded, the change audited and the host
    look-up's cache moved on."""

    list_display = ("name", "district", "slug", "host", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "slug", "host", "district__name", "district__code")
    raw_id_fields = ("district", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
