from django.contrib import admin

from gongyi.snapshots.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Read-only: uploads, moderation and deletion go through the services (audited, files
    written and removed with the rows)."""

    list_display = ("key", "project", "status", "by_organiser", "created_at")
    list_filter = ("status", "by_organiser")
    search_fields = ("key", "project__number", "project__title", "caption")
    raw_id_fields = ("project", "uploader", "moderated_by")
    exclude = ("image_name", "thumb_name")  # storage names stay out of sight (unguessable URLs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
