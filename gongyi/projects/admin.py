"""Django admin for the projects app: the city admin edits the taxonomy here.

Projects, their points and shifts are shown read-only: they change through the services only,
which number and audit them, keep their search tokens and next start, and never delete a shift
that volunteers signed up for (deleting one here would take its signups with it).
"""

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


class ViewOnlyAdmin(admin.ModelAdmin):
    """Lists and shows the rows; adds, changes and deletes nothing."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(ViewOnlyAdmin):
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
    date_hierarchy = "created_at"


@admin.register(ServicePoint)
class ServicePointAdmin(ViewOnlyAdmin):
    list_display = ["name", "project", "address", "latitude", "longitude"]
    search_fields = ["name", "address", "project__number"]
    list_select_related = ["project"]


@admin.register(Shift)
class ShiftAdmin(ViewOnlyAdmin):
    list_display = ["project", "point", "starts_at", "ends_at", "capacity", "taken"]
    search_fields = ["project__number", "project__title"]
    list_select_related = ["project", "point"]
    date_hierarchy = "starts_at"
