"""Forms of the organiser console."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.projects.models import Shift
from gongyi.projects.services import MAX_CAPACITY


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=0,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Leave empty for unlimited places."),
    )


class MoveForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("Move to shift"), queryset=Shift.objects.none())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(project=project)
