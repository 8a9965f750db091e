from django.contrib import admin

from gongyi.signups.models import LotteryDraw, Signup


@admin.register(Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ("id", "volunteer", "shift", "status", "draw_rank", "created_at")
    list_filter = ("status",)
    search_fields = ("volunteer__number", "shift__project__number")
    raw_id_fields = ("volunteer", "shift", "decided_by")
    # Status and places change only through the services (they keep `taken` right).
    readonly_fields = ("status", "draw_rank", "idempotency_key", "created_at", "decided_at")


@admin.register(LotteryDraw)
class LotteryDrawAdmin(admin.ModelAdmin):
    list_display = ("project", "seed", "drawn_at")
    search_fields = ("project__number",)
    raw_id_fields = ("project",)
    readonly_fields = ("seed", "drawn_at", "summary")
