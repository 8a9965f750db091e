"""Forms of the service pages: declare, reject, dispute, correct, answer, resolve."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_MINUTES = 24 * 60 * 31  # bigger numbers are typos; the services cap at the shift length


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this record?"),
        max_length=500,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclareForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes served"), min_value=1, max_value=MAX_MINUTES)
    note = forms.CharField(
        label=_("What you did, and why there is no check-in"), max_length=300, strip=True
    )


class CorrectForm(forms.Form):
    minutes = forms.IntegerField(label=_("Correct minutes"), min_value=0, max_value=MAX_MINUTES)
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)


class DecideDeclarationForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Confirm")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=MAX_MINUTES, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=1000, strip=True, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.IntegerField(
        label=_("Correct the minutes to (optional)"),
        min_value=0,
        max_value=MAX_MINUTES,
        required=False,
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Decision"), max_length=1000, strip=True, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.IntegerField(
        label=_("Correct the minutes to (optional)"),
        min_value=0,
        max_value=MAX_MINUTES,
        required=False,
    )


class EscalateForm(forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), max_length=300, strip=True, required=False)
