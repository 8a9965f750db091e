"""The cascading region selects other apps' forms use."""

import json

from django import forms

from gongyi.regions.models import Region
from gongyi.regions.widgets import RegionCascadeMixin


class PlaceForm(RegionCascadeMixin, forms.Form):
    region_cascade = ("district", "street", "community")
    district = forms.ModelChoiceField(queryset=Region.objects.filter(level=2))
    street = forms.ModelChoiceField(queryset=Region.objects.filter(level=3))
    community = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=4), to_field_name="code", required=False
    )


def test_selects_are_wired_for_htmx(district, other_district, street, community):
    html = str(PlaceForm(prefix="place")["district"])
    assert 'hx-get="/regions/options/"' in html and 'hx-target="#id_place-street"' in html
    assert "徐汇区" in html  # the top select lists every district
    vals = json.loads(
        PlaceForm()["district"].field.widget.get_context("district", None, {"id": "id_district"})[
            "widget"
        ]["attrs"]["hx-vals"]
    )
    assert vals == {"from": "district", "key": "pk", "clear": "id_community"}
    street_vals = PlaceForm().fields["street"].widget
    assert street_vals.key == "pk" and street_vals.child == "community"


def test_lower_selects_list_only_children_of_the_value_above(district, street, community):
    empty = PlaceForm()
    assert "南京东路街道" not in str(empty["street"])
    bound = PlaceForm({"district": district.pk, "street": street.pk, "community": community.code})
    assert "南京东路街道" in str(bound["street"])
    assert f'value="{community.code}"' in str(bound["community"])
    assert bound.is_valid(), bound.errors
    initial = PlaceForm(initial={"district": district, "street": street})
    assert "贵州路居委会" in str(initial["community"])
