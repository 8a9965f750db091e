"""Forms of the attendance pages: the leader's entries, the volunteer's scan, the policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.attendance.models import AttendancePolicy

LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class LeaderEntryForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, strip=True)
    at = forms.DateTimeField(
        label=_("Time (empty: now)"),
        required=False,
        input_formats=LOCAL_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ScanForm(forms.Form):
    t = forms.CharField(max_length=200)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AttendancePolicy
        fields = ["geofence_required", "radius_m"]
        help_texts = {
            "geofence_required": _(
                "Volunteers' phones must be at the service point to check in or out."
            ),
            "radius_m": _(
                "How far from the service point a phone may be, in metres. A service point "
                "with a smaller radius of its own keeps it."
            ),
        }
        widgets = {"radius_m": forms.NumberInput(attrs={"min": 10, "max": 10000})}

    def clean_radius_m(self):
        radius = self.cleaned_data["radius_m"]
        if not 10 <= radius <= 10_000:
            raise forms.ValidationError(_("The radius must be between 10 and 10,000 metres."))
        return radius
