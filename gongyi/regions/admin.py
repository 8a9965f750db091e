from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongyi.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "city", "is_functional_zone"]
    list_filter = ["level", "is_functional_zone", "city"]
    list_select_related = ["parent", "city"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "city"]
    readonly_fields = ["full_name_display"]

    @admin.display(description=_("full name"))
    def full_name_display(self, obj: Region) -> str:
        return obj.full_name() if obj.pk else ""
