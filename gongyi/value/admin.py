"""Admin: wage tables are shown here read-only; they are edited on /value/wages/ (checked there
and audited)."""

from django.contrib import admin

from gongyi.value.models import WageRate, WageTable


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WageRateInline(admin.TabularInline):
    model = WageRate
    fields = ("category", "occupation", "hourly_wage")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WageTable)
class WageTableAdmin(ReadOnly):
    list_display = ("city", "year", "default_occupation", "default_wage", "source", "updated_at")
    list_filter = ("city", "year")
    search_fields = ("source", "city__name")
    inlines = [WageRateInline]


@admin.register(WageRate)
class WageRateAdmin(ReadOnly):
    list_display = ("table", "category", "occupation", "hourly_wage")
    list_filter = ("table__city", "table__year")
