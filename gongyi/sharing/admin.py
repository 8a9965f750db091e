from django.contrib import admin

from gongyi.sharing.models import ShareLink


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Read-only: links are made by the share button and counted by visits."""

    list_display = ("code", "kind", "key", "project", "shares", "visits", "created_at")
    list_filter = ("kind",)
    search_fields = ("code", "key", "project__number", "project__title")
    raw_id_fields = ("project",)
    list_select_related = ("project",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
