"""Forms of the growth pages: the city's settings and the volunteer's card opt-in.

The forms only read the fields; the rules (thresholds strictly increasing, level floors from
0, …) are checked once, in `services.update_settings`, for the page and the API alike.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.growth.models import MIN_STAR_HOURS
from gongyi.growth.services import MAX_POINTS, POINT_FIELDS, STAR_COUNT
from gongyi.projects.models import Beneficiary, Category

POINT_LABELS = {
    "points_per_hour": _("Points per confirmed hour"),
    "points_first_service": _("Points for the first service"),
    "points_training": _("Points per training"),
    "points_streak": _("Points per streak"),
    "points_new_district": _("Points for serving in a new district"),
}


def levels_text(levels: list[dict]) -> str:
    """Levels as the form shows them: one per line, `points | 名称 | English name`."""
    return "\n".join(
        " | ".join(str(part) for part in (lv["points"], lv["name"], lv.get("name_en", ""))).rstrip(
            " |"
        )
        for lv in levels
    )


class SettingsForm(forms.Form):
    streak_months = forms.IntegerField(
        label=_("Months in a row that make a streak"), min_value=2, max_value=24
    )
    levels = forms.CharField(
        label=_("Levels"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=2000,
        help_text=_(
            "One level per line: points | Chinese name | English name, the first at 0 points, "
            "points strictly increasing. Example: 1000 | 志愿先锋 | Pioneer"
        ),
    )
    training_categories = forms.ModelMultipleChoiceField(
        label=_("Categories that count as training"),
        queryset=Category.objects.select_related("parent").order_by(
            "parent__sort_order", "parent__code", "sort_order", "code"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    elderly_group = forms.ModelChoiceField(
        label=_("Beneficiary group that is “the elderly” for badges"),
        queryset=Beneficiary.objects.all(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, STAR_COUNT + 1):
            self.fields[f"star_{n}"] = forms.IntegerField(
                label=_("Hours for %(n)s stars") % {"n": n},
                min_value=MIN_STAR_HOURS if n == 1 else 1,
                max_value=MAX_POINTS,
            )
        for name in POINT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=POINT_LABELS[name], min_value=0, max_value=MAX_POINTS
            )
        self.order_fields([f"star_{n}" for n in range(1, STAR_COUNT + 1)] + list(POINT_FIELDS))

    @staticmethod
    def initial_for(settings) -> dict:
        initial = {f"star_{n}": hours for n, hours in enumerate(settings.star_hours, start=1)}
        initial.update({name: getattr(settings, name) for name in POINT_FIELDS})
        initial.update(
            streak_months=settings.streak_months,
            levels=levels_text(settings.levels),
            training_categories=list(settings.training_categories.all()),
            elderly_group=settings.elderly_group,
        )
        return initial

    def clean_levels(self) -> list[dict]:
        levels = []
        for number, line in enumerate(self.cleaned_data["levels"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) not in (2, 3) or not parts[0].isdigit() or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(n)s: write points | Chinese name | English name.") % {"n": number}
                )
            name_en = parts[2] if len(parts) == 3 else ""
            levels.append({"points": int(parts[0]), "name": parts[1], "name_en": name_en})
        return levels

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "star_hours": [data[f"star_{n}"] for n in range(1, STAR_COUNT + 1)],
            "levels": data["levels"],
            "points": {name: data[name] for name in POINT_FIELDS},
            "streak_months": data["streak_months"],
            "training_category_ids": [c.pk for c in data["training_categories"]],
            "elderly_group_id": data["elderly_group"].pk if data["elderly_group"] else None,
        }


class CardForm(forms.Form):
    is_public = forms.BooleanField(
        label=_("Show my identity card publicly"),
        required=False,
        help_text=_(
            "Anyone with the link or the QR code then sees your masked name, volunteer number, "
            "stars, total hours, badges, teams and recent projects. Nothing else."
        ),
    )
