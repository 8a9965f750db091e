from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongyi.orgs.models import BaseDesignation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ["user", "invited_by", "decided_by"]
    fields = ["user", "role", "status", "message", "reason", "decided_at"]
    readonly_fields = ["decided_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "status", "credit_code", "created_at"]
    list_filter = ["status", "kind", "district"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["district"]
    raw_id_fields = ["district", "community", "created_by", "reviewed_by"]
    readonly_fields = ["created_at", "reviewed_at"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "credit_code", "district", "community", "logo"]}),
        (_("Contact"), {"fields": ["address", "contact_name", "contact_phone", "introduction"]}),
        (
            _("Verification"),
            {"fields": ["status", "rejection_reason", "reviewed_by", "reviewed_at"]},
        ),
        (_("Record"), {"fields": ["created_by", "created_at"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "role", "status", "created_at", "decided_at"]
    list_filter = ["role", "status"]
    search_fields = ["organisation__name", "user__phone", "user__display_name"]
    list_select_related = ["organisation", "user"]
    raw_id_fields = ["organisation", "user", "invited_by", "decided_by"]
    readonly_fields = ["created_at"]


@admin.register(BaseDesignation)
class BaseDesignationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "status", "applied_at", "named_on", "decided_by")
    list_filter = ("status", "organisation__district")
    search_fields = ("organisation__name",)
    raw_id_fields = ("organisation", "applied_by", "decided_by")
    # Decisions go through the review page (audited, notified), not by editing rows here.
    readonly_fields = ("status", "named_on", "decided_by", "decided_at", "reason")
