"""Forms of the certificate and passport pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongyi.certificates.models import LANGUAGES
from gongyi.regions.models import Region


class DateInput(forms.DateInput):
    input_type = "date"


class CertificateRequestForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    projects = forms.TypedMultipleChoiceField(
        label=_("Only these projects"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave the dates and projects empty to certify all your service."),
    )
    language = forms.ChoiceField(
        label=pgettext_lazy("certificate", "Language"),
        choices=LANGUAGES,
        initial="zh-hans",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, projects: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = projects

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The start date must not be after the end date."))
        return data


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=32)
    code = forms.CharField(label=_("Verification code"), max_length=32)


class PassportApplyForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"),
        required=False,
        help_text=_("The district that issues your passport (you have no home district set)."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
