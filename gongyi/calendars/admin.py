from django.contrib import admin

from gongyi.calendars.models import FeedToken, SavedSearch


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Tokens are issued and revoked by their volunteer; staff only look (the key is hashed)."""

    list_display = ("volunteer", "prefix", "created_at", "last_fetched_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("volunteer__number", "prefix")
    raw_id_fields = ("volunteer",)
    readonly_fields = ("key_hash", "prefix", "created_at", "last_fetched_at")


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "query", "created_at", "updated_at")
    search_fields = ("name", "user__phone")
    raw_id_fields = ("user",)
    readonly_fields = ("feed_key", "created_at", "updated_at")
