"""Forms of the projects pages. The rules live in the services; forms show their errors."""

from django import forms
from django.core.cache import cache
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gongyi.core.widgets import FastSelect
from gongyi.orgs.models import Organisation
from gongyi.projects import selectors, services
from gongyi.projects.models import Category, Project, ServicePoint, Shift

WEEKDAY_CHOICES = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
TIME_OF_DAY_CHOICES = [
    ("", _("Any time")),
    ("morning", _("Morning")),
    ("afternoon", _("Afternoon")),
    ("evening", _("Evening")),
]
SORT_CHOICES = [
    ("newest", _("Newest")),
    ("soon", _("Starting soon")),
    ("nearest", _("Nearest")),
]


class LabelChoiceField(forms.ModelChoiceField):
    """Taxonomy entries by their name in the visitor's language (a subcategory after its main
    category's)."""

    def label_from_instance(self, obj):
        parent = getattr(obj, "parent", None)
        return f"{parent.label} / {obj.label}" if parent is not None else obj.label


class LabelMultipleChoiceField(LabelChoiceField, forms.ModelMultipleChoiceField):
    pass


TEAM_HITS = 20  # teams listed per search
MAX_TEAMS = 50  # teams one project may name
MAX_ROW_ID = selectors.MAX_ROW_ID


def row_ids(values) -> list[int]:
    """The values that are row ids (plain digits, in range); anything else is dropped."""
    digits = (str(v) for v in values or [])
    ids = [int(v) for v in digits if v.isascii() and v.isdigit() and len(v) <= 19]
    return [pk for pk in ids if 0 < pk <= MAX_ROW_ID]


class TeamPicker(forms.SelectMultiple):
    """The chosen teams as ticked boxes and a search box (htmx), never a list of every team.

    Unticking a team removes it; ticking a search hit adds it. Without JavaScript the search
    box reloads the page (GET `team_q`) and lists the hits as boxes to tick.
    """

    template_name = "projects/widgets/team_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.query, self.hits, self.more = "", [], False

    def optgroups(self, name, value, attrs=None):
        return []  # the chosen ones are read in get_context; all the others are never listed

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = row_ids(value)
        chosen = self.choices.queryset.filter(pk__in=ids).select_related("district") if ids else []
        context["widget"].update(
            chosen=list(chosen),
            query=self.query,
            hits=self.hits,
            more=self.more,
            search_url=reverse("projects:team_search"),
            pick_url=reverse("projects:team_pick"),
        )
        return context


class TeamsField(forms.ModelMultipleChoiceField):
    """Team ids, each a verified volunteer team (the queryset), and not too many of them."""

    def clean(self, value):
        if value and len(value) > MAX_TEAMS:
            raise forms.ValidationError(
                _("Name at most %(count)d teams.") % {"count": MAX_TEAMS}, code="too_many"
            )
        return super().clean(value)


class IdsField(forms.Field):
    """Several row ids (`?teams_only=1&teams_only=2`); anything that is not one is dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        return row_ids(value if isinstance(value, list | tuple) else [value])[:MAX_TEAMS]


class TeamSearchForm(forms.Form):
    """The team picker's search: verified teams by name, the project's district first."""

    team_q = forms.CharField(required=False)
    district = forms.ModelChoiceField(queryset=selectors.districts(), required=False)
    teams_only = IdsField(required=False)  # already chosen: not listed again

    def hits(self) -> tuple[list[Organisation], bool]:
        """Up to TEAM_HITS matching teams, and whether there are more."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        query = (data.get("team_q") or "").strip()[:50]
        if not query:
            return [], False
        teams = (
            selectors.team_choices()
            .filter(name__icontains=query)
            .exclude(pk__in=data.get("teams_only") or [])
            .select_related("district")
        )
        district = data.get("district")
        if district is not None:  # the project's own district first
            near = Case(When(district=district, then=Value(0)), default=Value(1))
            teams = teams.annotate(far=near).order_by("far", "name", "pk")
        else:
            teams = teams.order_by("name", "pk")
        found = list(teams[: TEAM_HITS + 1])
        return found[:TEAM_HITS], len(found) > TEAM_HITS


class TeamPickForm(forms.Form):
    team = forms.ModelChoiceField(queryset=selectors.team_choices().select_related("district"))


class CancelProjectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone signed up is told this reason."),
    )


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


FILTER_CHOICES_SECONDS = 300  # taxonomy edits show in the finder within five minutes


class ListFilterForm(forms.Form):
    """The finder's filters; invalid ones are ignored, the valid ones still apply."""

    CACHED_CHOICES = ("district", "category", "beneficiary")

    q = forms.CharField(label=_("Keyword"), max_length=50, required=False)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=selectors.districts(),
        required=False,
        empty_label=_("All districts"),
        widget=FastSelect,
    )
    category = LabelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "sort_order", "code"),
        required=False,
        empty_label=_("All categories"),
        widget=FastSelect,
    )
    beneficiary = LabelChoiceField(
        label=_("Serving"),
        queryset=selectors.beneficiaries(),
        required=False,
        empty_label=_("Everyone"),
        widget=FastSelect,
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[("", _("Any mode")), *Project.Mode.choices],
        required=False,
        widget=FastSelect,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    weekday = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAY_CHOICES, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    time_of_day = forms.ChoiceField(
        label=_("Time of day"), choices=TIME_OF_DAY_CHOICES, required=False, widget=FastSelect
    )
    places_left = forms.BooleanField(label=_("Only with places left"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=FastSelect
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The options are the same on every visit: read them once per language, not per page.
        for name, choices in self._option_lists().items():
            self.fields[name].widget.choices = choices

    def _option_lists(self) -> dict[str, list[tuple[str, str]]]:
        key = f"projects:filter-options:{get_language()}"
        options = cache.get(key)
        if options is None:
            options = {
                name: [(str(value), str(label)) for value, label in self.fields[name].choices]
                for name in self.CACHED_CHOICES
            }
            cache.set(key, options, FILTER_CHOICES_SECONDS)
        return options

    def filters(self) -> selectors.ProjectFilters:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        # A field with a bad value is missing from cleaned_data: it simply does not filter.
        district, beneficiary = data.get("district"), data.get("beneficiary")
        return selectors.ProjectFilters(
            district_id=district.pk if district else None,
            category=data.get("category"),
            beneficiary_id=beneficiary.pk if beneficiary else None,
            mode=data.get("mode") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            weekdays=data.get("weekday") or [],
            time_of_day=data.get("time_of_day") or "",
            places_left=bool(data.get("places_left")),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "newest",
            lat=data.get("lat"),
            lng=data.get("lng"),
        )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=_(
            "Basic formatting (paragraphs, bold, lists, links) is kept; anything else is removed."
        ),
    )
    category = LabelChoiceField(label=_("Category"), queryset=selectors.main_categories())
    subcategory = LabelChoiceField(
        label=_("Subcategory"),
        queryset=Category.objects.filter(parent__isnull=False, is_active=True)
        .select_related("parent")
        .order_by("parent__sort_order", "sort_order"),
        required=False,
    )
    beneficiaries = LabelMultipleChoiceField(
        label=_("Serving"),
        queryset=selectors.beneficiaries(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=selectors.districts())
    mode = forms.ChoiceField(label=_("Mode"), choices=Project.Mode.choices)
    recruit_start = forms.DateTimeField(label=_("Recruitment opens"), widget=datetime_input())
    recruit_end = forms.DateTimeField(label=_("Recruitment closes"), widget=datetime_input())
    service_start = forms.DateField(label=_("Service starts"), widget=date_input())
    service_end = forms.DateField(label=_("Service ends"), widget=date_input())
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=200)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=200)
    real_name_only = forms.BooleanField(
        label=_("Registered (real-name) volunteers only"), required=False, initial=True
    )
    skills = forms.CharField(
        label=_("Skills wanted"),
        required=False,
        max_length=600,
        help_text=_("Separate with commas."),
    )
    teams_only = TeamsField(
        label=_("Only members of these teams"),
        queryset=selectors.team_choices(),
        required=False,
        widget=TeamPicker,
        help_text=_("Leave empty to recruit anyone."),
    )
    review_required = forms.BooleanField(label=_("Signups need our approval"), required=False)
    allocation = forms.ChoiceField(label=_("Allocation"), choices=Project.Allocation.choices)
    cancel_hours_before = forms.IntegerField(
        label=_("Volunteers may cancel until (hours before the shift)"),
        min_value=0, max_value=720, initial=24,
    )  # fmt: skip
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    cover = forms.ImageField(label=_("Cover image"), required=False)

    def __init__(self, *args, team_search: TeamSearchForm | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if team_search is not None:  # the picker's search without JavaScript (a page reload)
            picker = self.fields["teams_only"].widget
            picker.query = team_search.data.get("team_q", "")
            picker.hits, picker.more = team_search.hits()

    @staticmethod
    def initial_for(project: Project) -> dict:
        initial = services.project_fields_of(project)
        initial["skills"] = ", ".join(project.skills or [])
        return initial

    def service_fields(self) -> dict:
        """The cleaned fields the project services take (all but the cover)."""
        return {name: self.cleaned_data.get(name) for name in services.PROJECT_FIELDS}


class PointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    geofence_metres = forms.IntegerField(
        label=_("Check-in radius (metres)"), min_value=20, max_value=10_000, initial=500
    )

    @staticmethod
    def initial_for(point: ServicePoint) -> dict:
        return {name: getattr(point, name) for name in services.POINT_FIELDS}


class PointsImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("Columns: name, address, latitude, longitude."),
    )
    csv_text = forms.CharField(
        label=_("Or paste the lines"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def text(self) -> str:
        upload = self.cleaned_data.get("csv_file")
        if upload:
            raw = upload.read(2_000_000)
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
            return ""
        return self.cleaned_data.get("csv_text") or ""


class PointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _AtPointForm(forms.Form):
    """A form about one of the project's service points (chosen first)."""

    point = PointChoiceField(label=_("Service point"), queryset=ServicePoint.objects.none())

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = selectors.points(project)


class ShiftForm(_AtPointForm):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=datetime_input())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=datetime_input())
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Leave empty for unlimited.")
    )

    @staticmethod
    def initial_for(shift: Shift) -> dict:
        return {
            "point": shift.point_id,
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "capacity": shift.capacity,
        }


class BulkShiftsForm(_AtPointForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=_("From (time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until (time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    date_from = forms.DateField(label=_("First day"), widget=date_input())
    date_to = forms.DateField(label=_("Last day"), widget=date_input())
    capacity = forms.IntegerField(
        label=_("Places"), required=False, min_value=1, help_text=_("Leave empty for unlimited.")
    )
