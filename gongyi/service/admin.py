"""Django admin for the service app: the city admin keeps the working-day table here.

The ledger and its disputes are read-only in the admin: records change only by correction
entries made through the services (audited, hash-chained).
"""

from django.contrib import admin

from gongyi.service.models import (
    HoursDeclaration,
    HoursExclusion,
    OverdueShift,
    RecordDispute,
    ServiceRecord,
    WorkdayOverride,
)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """Public holidays on weekdays and make-up working days on weekends, e.g. 2027's schedule."""

    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    search_fields = ["name"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ["pk", "volunteer", "seq", "activity", "served_on", "minutes", "source"]
    list_filter = ["source"]
    search_fields = ["volunteer__number", "activity"]
    list_select_related = ["volunteer"]
    raw_id_fields = [
        "volunteer",
        "project",
        "organisation",
        "shift",
        "signup",
        "attendance",
        "corrects",
        "recorded_by",
    ]


@admin.register(HoursDeclaration)
class HoursDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "volunteer", "signup", "minutes", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["signup", "volunteer", "decided_by", "record"]


@admin.register(RecordDispute)
class RecordDisputeAdmin(ReadOnlyAdmin):
    list_display = ["pk", "record", "volunteer", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = [
        "record",
        "volunteer",
        "answered_by",
        "escalated_by",
        "resolved_by",
        "correction",
    ]


@admin.register(HoursExclusion)
class HoursExclusionAdmin(ReadOnlyAdmin):
    list_display = ["attendance", "reason", "excluded_by", "excluded_at"]
    raw_id_fields = ["attendance", "excluded_by"]


@admin.register(OverdueShift)
class OverdueShiftAdmin(ReadOnlyAdmin):
    list_display = ["shift", "deadline", "flagged_at"]
    raw_id_fields = ["shift"]
