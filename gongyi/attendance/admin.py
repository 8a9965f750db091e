from django.contrib import admin

from gongyi.attendance.models import Attendance, AttendancePolicy


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("signup", "checked_in_at", "checked_out_at", "in_method", "no_show")
    list_filter = ("in_method", "out_method", "no_show")
    search_fields = ("signup__volunteer__number", "signup__shift__project__number")
    raw_id_fields = ("signup", "in_by", "out_by")

    # Attendance feeds the hours ledger: it changes only through the services (audited).
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AttendancePolicy)
class AttendancePolicyAdmin(admin.ModelAdmin):
    list_display = ("project", "geofence_required", "radius_m", "updated_at")
    list_filter = ("geofence_required",)
    raw_id_fields = ("project",)
