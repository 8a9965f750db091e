"""Forms of the snapshot pages: the upload (several photos, one caption each) and hiding."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongyi.snapshots.processing import MAX_BYTES
from gongyi.snapshots.services import CAPTION_MAX, MAX_PER_UPLOAD, REASON_MAX

ACCEPT = "image/jpeg,image/png,image/webp"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one input (Django's documented recipe); the service checks them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    photos = MultiplePhotoField(label=_("Photos"))
    captions = forms.CharField(
        label=_("Captions"),
        required=False,
        max_length=(CAPTION_MAX + 1) * MAX_PER_UPLOAD,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in here, not above: the numbers go into the text in the request's language.
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP, up to %(n)s at a time, each at most %(mb)s MB."
        ) % {"n": MAX_PER_UPLOAD, "mb": MAX_BYTES // 2**20}
        self.fields["captions"].help_text = _(
            "One line per photo, in the order of the photos (at most %(max)s characters each)."
        ) % {"max": CAPTION_MAX}

    def caption_list(self) -> list[str]:
        """The captions, one per line; blank lines keep their photo uncaptioned."""
        lines = self.cleaned_data.get("captions", "").splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        return lines


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, the uploader is told)"),
        required=False,
        max_length=REASON_MAX,
    )
