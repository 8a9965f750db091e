"""Forms of the site pages. They only parse: the services check every value (the same checks
for the API) and their refusals are shown on the field they name."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from gongyi.core.images import image_help_lazy
from gongyi.regions.models import Region
from gongyi.sites.models import DEFAULT_ACCENT, DEFAULT_PRIMARY, Site
from gongyi.sites.validators import BANNER, LOGO

IMAGE_TYPES = "image/png,image/jpeg,image/webp,image/gif"


def _image_field(label, rule) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_TYPES}),
        help_text=image_help_lazy(rule),
    )


class DistrictField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.city.name} · {obj.name}" if obj.city_id else obj.name


class LookForm(forms.Form):
    """What a district admin may change: the site's look."""

    name = forms.CharField(label=_("Name"), max_length=200)
    tagline = forms.CharField(
        label=_("Tagline"),
        max_length=300,
        required=False,
        help_text=_("One short line under the banner on the home page."),
    )
    primary_colour = forms.CharField(
        label=_("Main colour"),
        max_length=20,
        initial=DEFAULT_PRIMARY,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("The header and buttons, with white text on it: choose a dark colour."),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        max_length=20,
        initial=DEFAULT_ACCENT,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=_("Lines and highlights."),
    )
    logo = _image_field(_("Logo"), LOGO)
    banner = _image_field(_("Banner"), BANNER)

    FIELDS = ("name", "tagline", "primary_colour", "accent_colour")

    def __init__(self, *args, site: Site | None = None, **kwargs):
        if site is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(site)
        super().__init__(*args, **kwargs)

    def initial_for(self, site: Site) -> dict:
        initial = {field: getattr(site, field) for field in self.FIELDS}
        initial.update(logo=site.logo or None, banner=site.banner or None)
        return initial

    def service_fields(self) -> dict:
        """The keyword arguments of `site_update` / `site_create` (files included)."""
        data = self.cleaned_data
        fields = {field: data[field] for field in self.FIELDS if field in data}
        for image in ("logo", "banner"):
            value = data.get(image)
            if value is False:  # the "clear" box of the file input
                fields[f"remove_{image}"] = True
            elif isinstance(value, UploadedFile):  # not the current file (the initial value)
                fields[image] = value
        return fields


class SiteForm(LookForm):
    """Every field of a site: the city admin's form (create and edit)."""

    district = DistrictField(label=_("District"), queryset=Region.objects.none())
    slug = forms.CharField(
        label=_("Short name"),
        max_length=100,
        help_text=_("For the address /d/<short name>/, e.g. jinjiang."),
    )
    host = forms.CharField(
        label=_("Host name"),
        max_length=300,
        required=False,
        help_text=_(
            "Optional: the site's own address, e.g. jinjiang.gongyi.example. It must be in "
            "the server's ALLOWED_HOSTS."
        ),
    )

    FIELDS = ("district", "name", "slug", "host", "tagline", "primary_colour", "accent_colour")
    field_order = FIELDS

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            districts if districts is not None else Region.objects.none()
        )
