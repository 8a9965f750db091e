"""Traffic in the admin: read-only, the figures are counted by the platform, never typed in."""

from django.contrib import admin

from gongyi.traffic.models import TrafficDay, TrafficMinute, TrafficVisitor


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrafficDay)
class TrafficDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "visits", "peak_concurrent", "peak_minute", "rolled_up_at"]
    date_hierarchy = "day"


@admin.register(TrafficMinute)
class TrafficMinuteAdmin(ReadOnlyAdmin):
    list_display = ["minute", "visits"]
    date_hierarchy = "minute"
    show_full_result_count = False  # a day has 1,440 rows: no COUNT(*) over ninety days


@admin.register(TrafficVisitor)
class TrafficVisitorAdmin(ReadOnlyAdmin):
    list_display = ["minute", "visitor"]
    show_full_result_count = False
