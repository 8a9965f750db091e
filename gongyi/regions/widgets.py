"""Cascading region selects (district → street → community) for any app's forms, with htmx.

Usage — name the cascade, the mixin wires the selects and narrows their choices:

    from gongyi.regions.widgets import RegionCascadeMixin

    class PlaceForm(RegionCascadeMixin, forms.Form):
        region_cascade = ("district", "street", "community")
        district = forms.ModelChoiceField(queryset=Region.objects.filter(level=2))
        street = forms.ModelChoiceField(queryset=Region.objects.filter(level=3))
        community = forms.ModelChoiceField(queryset=Region.objects.filter(level=4), required=False)

Render the fields as usual in a page that extends base.html (it loads htmx). Choosing a district
reloads the street options from `regions:options` and empties the community select; each lower
select lists only the children of the value above it (bound data or initial). The querysets
still decide what is valid; also check the chain on submit, e.g. with
`selectors.check_region(street, level=Region.Level.STREET, within=district)`.
Fields with `to_field_name="code"` post codes; others post primary keys: both work.

Without the mixin, give the upper field `widget=RegionSelect(child="street", clear=["community"])`
(and `key="code"` when its field posts codes).
"""

import itertools
import json

from django import forms
from django.urls import reverse

from gongyi.regions import selectors
from gongyi.regions.models import Region


class RegionSelect(forms.Select):
    """A `<select>` of regions whose change reloads the options of the `child` field's select."""

    def __init__(self, attrs=None, choices=(), *, child: str, clear=(), key: str = "pk"):
        super().__init__(attrs, choices)
        self.child, self.clear, self.key = child, list(clear), key

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        # Sibling ids follow this one's pattern ("id_<prefix>-<name>"), whatever the form prefix.
        bare_name = name.rsplit("-", 1)[-1]
        id_stem = widget_attrs.get("id", f"id_{name}").removesuffix(bare_name)
        widget_attrs.update(
            {
                "hx-get": reverse("regions:options"),
                "hx-target": f"#{id_stem}{self.child}",
                "hx-swap": "innerHTML",
                "hx-vals": json.dumps(
                    {
                        "from": name,
                        "key": self.key,
                        "clear": ",".join(f"{id_stem}{field}" for field in self.clear),
                    }
                ),
            }
        )
        return context


class RegionCascadeMixin:
    """Form mixin: wires `region_cascade` fields (top to bottom) into cascading selects."""

    region_cascade: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(self.region_cascade)
        pairs = list(itertools.pairwise(names))
        for i, (upper, lower) in enumerate(pairs):
            field = self.fields[upper]
            field.widget = RegionSelect(child=lower, clear=names[i + 2 :], key=_key_of(field))
            field.widget.choices = field.choices
            field.widget.is_required = field.required
        # After every widget is in place, so narrowing a middle select is not undone.
        for upper, lower in pairs:
            self._narrow(lower, parent=self._chosen(upper, _key_of(self.fields[upper])))

    def _chosen(self, name: str, key: str) -> Region | None:
        value = self[name].value()
        if isinstance(value, Region):
            return value
        return selectors.region_by_key(str(value), by=key) if value not in (None, "") else None

    def _narrow(self, name: str, *, parent: Region | None) -> None:
        """Show only the parent's children in the select (validation still uses the queryset)."""
        field = self.fields[name]
        key = _key_of(field)
        children = selectors.regions_below(parent) if parent else Region.objects.none()
        field.widget.choices = [
            ("", field.empty_label or "—"),
            *((child.code if key == "code" else child.pk, child.name) for child in children),
        ]


def _key_of(field) -> str:
    return "code" if getattr(field, "to_field_name", None) == "code" else "pk"
