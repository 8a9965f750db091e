"""Django admin for the projects app: the city admin edits the taxonomy here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongyi.projects.models import Beneficiary, Category, Project, ServicePoint, Shift


class SubcategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    extra = 1
    fields = ["code", "name", "name_en", "sort_order", "is_active"]
    verbose_name = _("subcategory")
    verbose_name_plural = _("subcategories")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "parent", "sort_order", "is_active"]
    list_filter = ["is_active", "parent"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["parent"]
    inlines = [SubcategoryInline]


@admin.register(Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "organisation",
        "district",
        "category",
        "status",
        "published_at",
    ]
    list_filter = ["status", "mode", "category", "district"]
    search_fields = ["number", "title"]
    list_select_related = ["organisation", "district", "category"]
    raw_id_fields = ["organisation", "district", "created_by", "teams_only"]
    filter_horizontal = ["beneficiaries"]
    readonly_fields = ["number", "search_tokens", "created_at", "published_at", "cancelled_at"]
    date_hierarchy = "created_at"


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "address", "latitude", "longitude"]
    search_fields = ["name", "address", "project__number"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["project", "point", "starts_at", "ends_at", "capacity", "taken"]
    search_fields = ["project__number", "project__title"]
    raw_id_fields = ["project", "point"]
    readonly_fields = ["taken"]  # changed only by signups, one conditional UPDATE at a time
    list_select_related = ["project", "point"]
    date_hierarchy = "starts_at"
