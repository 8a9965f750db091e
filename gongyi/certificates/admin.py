from django.contrib import admin

from gongyi.certificates.models import Certificate, CertificateRecord, Passport


class CoveredInline(admin.TabularInline):
    model = CertificateRecord
    raw_id_fields = ("record",)
    readonly_fields = ("record", "minutes")
    extra = 0
    can_delete = False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are issued and revoked only by the services (audited)."""

    list_display = ("number", "volunteer_number", "total_minutes", "status", "issued_at")
    list_filter = ("status",)
    search_fields = ("number", "volunteer_number")
    exclude = ("code",)  # a bearer secret: the admin has no need to read it
    inlines = [CoveredInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Passport)
class PassportAdmin(admin.ModelAdmin):
    list_display = ("number", "volunteer", "district", "status", "applied_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("number", "volunteer__number")
    exclude = ("code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
