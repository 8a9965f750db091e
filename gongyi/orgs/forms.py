"""Forms of the orgs pages. The rules live in validators/services; forms show their errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.core.errors import ServiceError
from gongyi.orgs import selectors, services, validators
from gongyi.orgs.models import Membership, Organisation
from gongyi.regions.models import Region
from gongyi.regions.selectors import check_region_chain
from gongyi.regions.widgets import RegionCascadeMixin


class CommunityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # "黄浦区 南京东路街道 贵州路居委会": the same community name recurs in other districts.
        street = obj.parent
        district = street.parent if street else None
        return " ".join(r.name for r in (district, street, obj) if r is not None)


class OrganisationForm(RegionCascadeMixin, forms.Form):
    """District → street → community as cascading selects, so a city's thousands of
    communities never fill one list; the street only narrows the list and is not stored."""

    region_cascade = ("district", "street", "community")

    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_(
            "18 characters; required for associations, government units, "
            "enterprises and schools, left empty for volunteer teams."
        ),
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=selectors.districts(), empty_label=_("Select a district")
    )
    street = forms.ModelChoiceField(
        label=_("Street"),
        queryset=Region.objects.filter(level=Region.Level.STREET).order_by("code"),
        required=False,
        empty_label="—",
        help_text=_("Only for a community volunteer team: its street, to list its communities."),
    )
    community = CommunityChoiceField(
        label=_("Community"),
        queryset=selectors.communities(),
        required=False,
        empty_label=_("None (not a community team)"),
        help_text=_("Only for a community volunteer team: its community inside the street."),
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("A mobile number, or a landline with its area code (021-63201234)."),
    )
    introduction = forms.CharField(
        label=_("Introduction"), max_length=2000, required=False, widget=forms.Textarea
    )
    logo = forms.ImageField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG, WebP or GIF, at most 2 MB.")
    )

    def __init__(self, *args, org: Organisation | None = None, **kwargs):
        self.org = org
        if org is not None and "initial" not in kwargs:
            kwargs["initial"] = {f: getattr(org, f) for f in services.EDITABLE_FIELDS}
            kwargs["initial"]["street"] = org.community.parent if org.community else None
        super().__init__(*args, **kwargs)

    def _run(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ServiceError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)

    def clean_contact_phone(self):
        try:
            return validators.clean_phone(self.cleaned_data["contact_phone"])
        except ServiceError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or logo is True or not hasattr(logo, "size"):
            return None
        try:
            return validators.clean_logo(logo)
        except ServiceError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean(self):
        data = super().clean()
        kind, district = data.get("kind"), data.get("district")
        if kind:
            data["credit_code"] = self._run(
                validators.clean_credit_code, data.get("credit_code"), kind=kind
            )
        if district:
            self._check_street(district, data.get("street"), data.get("community"))
        if kind and district:
            self._run(
                validators.clean_community, data.get("community"), kind=kind, district=district
            )
        if not self.errors:
            fields = {f: data.get(f) for f in services.EDITABLE_FIELDS}
            cleaned = self._run(services.clean_org_fields, fields, org=self.org)
            if cleaned:
                data.update(cleaned)
        return data

    def _check_street(self, district: Region, street: Region | None, community) -> None:
        """The street lies in the district and the community in the street (when named).

        The lists offer only such choices; a page posted without JavaScript may still mix them.
        Without a street, `validators.clean_community` bounds the community by the district.
        """
        if street is not None:
            self._run(
                check_region_chain,
                ("district", district, Region.Level.DISTRICT),
                ("street", street, Region.Level.STREET),
                ("community", community, Region.Level.COMMUNITY),
            )

    def service_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in services.EDITABLE_FIELDS}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=selectors.districts(),
        required=False,
        empty_label=_("All districts"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Organisation.Kind.choices],
        required=False,
    )


# --- public-welfare bases -----------------------------------------------------------------


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label=_("What the base offers volunteers"), max_length=2000, widget=forms.Textarea
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("name", _("Name it a base")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
