from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.rankings.subjects import CHOICES


class PublishForm(forms.Form):
    subject = forms.ChoiceField(label=_("Ranked"), choices=CHOICES)
    region = forms.CharField(
        label=_("City or district code"),
        max_length=12,
        required=False,
        help_text=_("Empty: the city."),
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        initial="all",
        help_text=_("all, a year like 2026, or a month like 2026-11."),
    )
    as_of = forms.DateField(
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    title = forms.CharField(label=_("Title"), max_length=100, required=False)


class ConsentForm(forms.Form):
    given = forms.BooleanField(label=_("Show me in the volunteer rankings"), required=False)
