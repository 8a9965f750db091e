from django.contrib import admin

from gongyi.dashboard.models import DashboardSnapshot


@admin.register(DashboardSnapshot)
class DashboardSnapshotAdmin(admin.ModelAdmin):
    list_display = ["region", "computed_at"]
    list_select_related = ["region"]
    search_fields = ["region__name", "region__code"]
    readonly_fields = ["region", "computed_at", "data"]

    def has_add_permission(self, request) -> bool:
        return False  # computed from the records only (refresh_dashboards)
