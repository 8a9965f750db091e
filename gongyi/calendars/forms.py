"""Forms of the calendar pages. The rules live in the services; forms show their errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.calendars.selectors import MAX_QUERY_LENGTH
from gongyi.calendars.services import NAME_LENGTH


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Search name"), max_length=NAME_LENGTH)
    query = forms.CharField(
        label=_("Filters"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text=_(
            "As in the project finder's address after the “?”, e.g. district=3&weekday=6. "
            "Empty: every published shift."
        ),
    )
