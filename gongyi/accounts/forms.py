"""Forms of the accounts pages. They parse; the services decide (and give the error messages)."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gongyi.accounts import identity, selectors, services
from gongyi.accounts.choices import AVAILABILITY_SLOTS, DAY_PERIODS, SERVICE_CATEGORIES, WEEKDAYS
from gongyi.accounts.models import Volunteer
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.regions.widgets import RegionCascadeMixin


class ServiceErrorMixin:
    """Show a ServiceError on the field it names (or on the whole form)."""

    field_aliases: dict[str, str] = {}

    def add_service_error(self, exc: ServiceError) -> None:
        field = self.field_aliases.get(exc.field, exc.field)
        self.add_error(field if field in self.fields else None, str(exc.message))


def phone_field(label=None, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label or _("Mobile number"),
        required=required,
        max_length=11,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}
        ),
    )


def region_field(label, level: int, *, required: bool = False, help_text="") -> forms.Field:
    return forms.ModelChoiceField(
        label=label,
        queryset=selectors.home_regions().filter(level=level),
        required=required,
        empty_label="—",
        help_text=help_text,
    )


class HomeRegionMixin(RegionCascadeMixin, forms.Form):
    """Home district → street → community as cascading selects (each lists the one above's).

    Only the lists are narrowed here; the service checks the chain (and says what is wrong).
    """

    region_cascade = ("home_district", "home_street", "home_community")
    home_district = region_field(_("Home district"), Region.Level.DISTRICT, required=True)
    home_street = region_field(
        _("Street"), Region.Level.STREET, help_text=_("Optional: choose the district first.")
    )
    home_community = region_field(
        _("Community"), Region.Level.COMMUNITY, help_text=_("Optional: choose the street first.")
    )
    field_aliases = {"home_region": "home_district"}

    def check_home_region(self, data: dict) -> None:
        """The chain's error beside the field it concerns, with the form's other errors."""
        if any(name in self.errors for name in self.region_cascade):
            return  # an unknown or missing choice already says what to fix
        try:
            services.check_home_region(
                district=data.get("home_district"),
                street=data.get("home_street"),
                community=data.get("home_community"),
            )
        except ServiceError as exc:
            self.add_service_error(exc)

    @staticmethod
    def home_initial(region: Region | None) -> dict:
        """The district, street and community that `region` is or lies in, for the selects."""
        chain = {}
        while region is not None and region.level >= Region.Level.DISTRICT:
            chain[f"home_{Region.Level(region.level).name.lower()}"] = region
            region = region.parent
        return chain


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return data


class CodeMixin(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SendCodeForm(forms.Form):
    phone = phone_field()
    purpose = forms.ChoiceField(choices=[("signup", "signup"), ("reset", "reset")])


class SignupForm(ServiceErrorMixin, NewPasswordMixin, CodeMixin):
    field_aliases = {"password": "password1"}
    phone = phone_field()
    field_order = ["phone", "code", "password1", "password2"]


class PasswordResetForm(SignupForm):
    pass


class VolunteerRegistrationForm(ServiceErrorMixin, HomeRegionMixin, forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=50)
    id_type = forms.ChoiceField(label=_("ID type"), choices=Volunteer.IdType.choices)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted; shown only masked."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only for passports and permits: a resident ID already tells."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", "—"), *Volunteer.Gender.choices],
        help_text=_("Only for passports and permits: a resident ID already tells."),
    )
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_phone = phone_field(_("Guardian's mobile number"), required=False)
    guardian_consent = forms.BooleanField(
        label=_("My guardian agrees that I volunteer on this platform"), required=False
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read and accept the privacy notice"), required=True
    )

    def clean(self):
        """Name and ID errors at once, beside other missing fields (the service checks again)."""
        data = super().clean()
        try:
            if "real_name" in data:
                services.check_real_name(data["real_name"])
        except ServiceError as exc:
            self.add_service_error(exc)
        try:
            if "id_number" in data and "id_type" in data:
                identity.check_id_number(data["id_type"], data["id_number"])
        except ServiceError as exc:
            self.add_service_error(exc)
        self.check_home_region(data)
        return data


class ProfileForm(ServiceErrorMixin, HomeRegionMixin, forms.Form):
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=700,
        help_text=_("Separate with commas, e.g. first aid, photography."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=700,
        help_text=_("Separate with commas, e.g. Mandarin, English, sign language."),
    )
    interests = forms.MultipleChoiceField(
        label=_("Service categories of interest"),
        required=False,
        choices=SERVICE_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("When I am available"),
        required=False,
        choices=AVAILABILITY_SLOTS,
        widget=forms.CheckboxSelectMultiple,
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, at most 5 MB. Location data is removed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Volunteers registered through the API may have no home region: no need to add one.
        self.fields["home_district"].required = False
        self.fields["home_district"].widget.is_required = False

    def clean(self):
        data = super().clean()
        self.check_home_region(data)
        return data

    def availability_grid(self):
        """The availability checkboxes as rows of one weekday each (morning, afternoon, evening)."""
        boxes = list(self["availability"])
        per_day = len(DAY_PERIODS)
        return [
            (label, boxes[i * per_day : (i + 1) * per_day])
            for i, (_d, label) in enumerate(WEEKDAYS)
        ]

    @classmethod
    def initial_for(cls, volunteer: Volunteer) -> dict:
        return {
            "skills": ", ".join(volunteer.skills),
            "languages": ", ".join(volunteer.languages),
            "interests": volunteer.interests,
            "availability": volunteer.availability,
            **cls.home_initial(volunteer.home_region),
        }


class CloseAccountForm(ServiceErrorMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that closing my account cannot be undone"), required=True
    )


LOGIN_LOCKED_MESSAGE = _("Too many wrong passwords. Please wait 15 minutes or reset your password.")


class LoginForm(AuthenticationForm):
    """Django's login form, saying so when the throttle (accounts.backends) holds the number."""

    def get_invalid_login_error(self):
        if getattr(self.request, "login_locked", False):
            return forms.ValidationError(LOGIN_LOCKED_MESSAGE, code="locked")
        return super().get_invalid_login_error()
