from django.contrib import admin

from gongyi.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "city", "is_functional_zone"]
    list_filter = ["level", "is_functional_zone", "city"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "city"]
