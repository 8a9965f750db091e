from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.utils.translation import gettext_lazy as _

from gongyi.accounts.identity import normalise
from gongyi.accounts.models import ApiToken, StaffRole, User, Volunteer
from gongyi.core.crypto import lookup_hash


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("phone",)


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, for accounts that log in with a mobile number."""

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["phone", "display_name", "is_active", "is_staff", "date_joined", "closed_at"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["phone", "display_name"]
    ordering = ["-date_joined"]
    readonly_fields = ["date_joined", "last_login", "closed_at"]
    fieldsets = [
        (None, {"fields": ["phone", "password", "display_name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "closed_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["phone", "password1", "password2"]}),
    ]


class VolunteerAdminForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        # Not the cipher nor the hash: they are never shown or edited; registration sets them.
        fields = [
            "user",
            "real_name",
            "gender",
            "birth_date",
            "guardian_name",
            "guardian_phone",
            "skills",
            "languages",
            "interests",
            "home_region",
            "availability",
            "photo",
        ]


@admin.register(Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    form = VolunteerAdminForm
    list_display = ["number", "name", "id_type", "id_number_masked", "registered_at"]
    list_filter = ["id_type", "gender"]
    search_fields = ["number"]
    search_help_text = _("Volunteer number, or the exact ID number.")
    raw_id_fields = ["user", "home_region"]
    readonly_fields = [
        "user",
        "number",
        "id_type",
        "id_number_masked",
        "registered_at",
        "privacy_consent_at",
        "guardian_consent_at",
    ]

    @admin.display(description=_("real name"))
    def name(self, obj: Volunteer) -> str:
        return obj.masked_name

    def get_search_results(self, request, queryset, search_term):
        """Also find a volunteer by the exact ID number, through its keyed hash."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalise(search_term)
        if len(number) >= 5:
            hashes = [lookup_hash(f"{kind}:{number}") for kind in Volunteer.IdType.values]
            results |= queryset.filter(id_number_hash__in=hashes)
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False  # volunteers register themselves, through the checks of the service


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__phone", "user__display_name", "region__name"]
    raw_id_fields = ["user", "region"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__phone"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # keys are shown once, by the API that creates them
