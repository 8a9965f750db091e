"""Forms: the region picker of the value page, and the wage-table editor (table + rates)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.regions.models import Region
from gongyi.value.models import DEFAULT_OCCUPATION, FIRST_YEAR, LAST_YEAR, MAX_WAGE, MIN_WAGE
from gongyi.value.services import MAX_OCCUPATION, MAX_SOURCE, RateIn

WAGE_ERRORS = {
    "min_value": _("An hourly wage must be more than 0 yuan."),
    "max_value": _("An hourly wage must be at most %(limit_value)s yuan."),
    "max_decimal_places": _("An hourly wage has at most two decimals (fen)."),
    "max_digits": _("An hourly wage must be at most 99999.99 yuan."),
    "max_whole_digits": _("An hourly wage must be at most 99999.99 yuan."),
    "invalid": _("Enter an hourly wage in yuan, e.g. 45.50."),
}
YEAR_ERRORS = {
    "min_value": _("The year must be between 2000 and 2100."),
    "max_value": _("The year must be between 2000 and 2100."),
    "invalid": _("Enter a year, e.g. 2026."),
}


def wage_field(label, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=MIN_WAGE,
        max_value=MAX_WAGE,
        max_digits=7,
        decimal_places=2,
        error_messages=WAGE_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )


def year_field(*, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"),
        required=required,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=YEAR_ERRORS,
    )


class RegionForm(forms.Form):
    """`?region=<code>&year=<year>` of the value page."""

    region = forms.ChoiceField(label=_("City or district"), required=False)
    year = year_field(required=False)

    def __init__(self, data, *, regions: list[Region], **kwargs):
        super().__init__(data, **kwargs)
        choices = []
        for region in regions:
            prefix = "" if region.level == Region.Level.CITY else "　"
            choices.append((region.code, f"{prefix}{region.name}"))
        self.fields["region"].choices = [("", "—"), *choices]
        self.regions = {r.code: r for r in regions}

    def chosen_region(self) -> Region | None:
        return self.regions.get(self.cleaned_data.get("region") or "")


class TableForm(forms.Form):
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=MAX_SOURCE,
        help_text=_("e.g. 成都市人力资源和社会保障局 2025年人力资源市场工资价位"),
    )
    default_occupation = forms.CharField(
        label=_("Default occupation"),
        max_length=MAX_OCCUPATION,
        initial=DEFAULT_OCCUPATION,
        help_text=_("Values the hours of every main category left blank below."),
    )
    default_wage = wage_field(_("Default hourly wage (yuan)"))


class NewTableForm(TableForm):
    year = year_field(required=True)
    copy_previous = forms.BooleanField(
        label=_("Copy the rates of the latest earlier table"), required=False
    )

    field_order = ["year", "source", "default_occupation", "default_wage", "copy_previous"]


class RateForm(forms.Form):
    category = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=MAX_OCCUPATION)
    hourly_wage = wage_field(_("Hourly wage (yuan)"), required=False)

    def clean(self):
        data = super().clean()
        occupation, wage = data.get("occupation"), data.get("hourly_wage")
        if occupation and wage is None and "hourly_wage" not in self.errors:
            self.add_error("hourly_wage", _("Give the hourly wage as well as the occupation."))
        if wage is not None and not occupation:
            self.add_error("occupation", _("Give the occupation as well as the wage."))
        return data


RateFormSet = forms.formset_factory(
    RateForm, extra=0, max_num=500, absolute_max=500, validate_max=True
)


def rates_from(formset) -> list[RateIn]:
    return [
        RateIn(
            category_id=f.cleaned_data["category"],
            occupation=f.cleaned_data.get("occupation") or "",
            hourly_wage=f.cleaned_data.get("hourly_wage"),
        )
        for f in formset.forms
        if f.cleaned_data
    ]


def rate_initial(rows: list[dict]) -> list[dict]:
    return [
        {
            "category": row["category"].pk,
            "occupation": row["occupation"],
            "hourly_wage": row["hourly_wage"],
        }
        for row in rows
    ]
