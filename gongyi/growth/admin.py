"""Admin: badges are edited here (names, texts, rule params, in use); the derived rows are
read-only (they are rebuilt from the records, so an edit would only be overwritten)."""

from django.contrib import admin
from django.db import transaction

from gongyi.growth.models import Badge, BadgeAward, CardSettings, GrowthSettings, GrowthSummary
from gongyi.growth.services import queue_rederive


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "params", "is_active", "sort_order")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "name_en")
    ordering = ("sort_order", "code")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A changed rule changes who holds the badge: re-derive everyone (safe to run twice).
        transaction.on_commit(queue_rederive)


@admin.register(BadgeAward)
class BadgeAwardAdmin(ReadOnly):
    list_display = ("volunteer", "badge", "awarded_on", "revoked_at", "created_at")
    list_filter = ("badge",)
    raw_id_fields = ("volunteer", "record")
    search_fields = ("volunteer__number",)


@admin.register(GrowthSummary)
class GrowthSummaryAdmin(ReadOnly):
    list_display = ("volunteer", "minutes", "points", "level", "stars", "computed_at")
    list_filter = ("stars",)
    search_fields = ("volunteer__number",)
    raw_id_fields = ("volunteer",)


@admin.register(GrowthSettings)
class GrowthSettingsAdmin(ReadOnly):
    """Edited on /growth/settings/ (checked there, and the change re-derives everyone)."""

    list_display = ("__str__", "star_hours", "version", "updated_at", "updated_by")


@admin.register(CardSettings)
class CardSettingsAdmin(ReadOnly):
    list_display = ("volunteer", "is_public", "updated_at")
    list_filter = ("is_public",)
    raw_id_fields = ("volunteer",)
