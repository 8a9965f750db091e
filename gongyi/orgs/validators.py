"""Checks of an organisation's fields, shared by the forms, the API and the services.

Each raises `ServiceError(code, message, field=...)` with a message in the user's language,
so a form can show it beside its field and the API can return it as JSON.
"""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

from gongyi.core.errors import ServiceError
from gongyi.core.images import ImageRule, clean_image
from gongyi.orgs.models import Organisation
from gongyi.regions.models import Region

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code (3-4 digits starting with 0), a 7-8 digit number and an optional extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000  # refuses decompression bombs before decoding
LOGO_MAX_SIDE = 512  # stored logos are scaled down to this
LOGO = ImageRule(
    "logo",
    LOGO_MAX_BYTES,
    min_size=(1, 1),
    box=(LOGO_MAX_SIDE, LOGO_MAX_SIDE),
    format="PNG",
    max_pixels=LOGO_MAX_PIXELS,
)


def clean_credit_code(code: str | None, *, kind: str) -> str | None:
    """The normalised unified social credit code, or None for kinds that carry none."""
    code = (code or "").strip().replace(" ", "").upper()
    if kind not in Organisation.KINDS_WITH_CREDIT_CODE:
        if code:
            raise ServiceError(
                "credit_code_not_allowed",
                _("Volunteer teams have no unified social credit code; leave it empty."),
                field="credit_code",
            )
        return None
    if not code:
        raise ServiceError(
            "credit_code_required",
            _("This kind of organisation needs its unified social credit code."),
            field="credit_code",
        )
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidLength:
        message = _("A unified social credit code has exactly 18 characters.")
    except stdnum_errors.InvalidChecksum:
        message = _("The check character (the last one) of this credit code is wrong; check it.")
    except stdnum_errors.ValidationError:
        message = _(
            "A unified social credit code starts with 8 digits; the other characters are "
            "digits or capital letters other than I, O, S, V and Z."
        )
    raise ServiceError("credit_code_invalid", message, field="credit_code")


def clean_phone(phone: str) -> str:
    """A mainland mobile number or a landline with its area code, spaces removed."""
    phone = re.sub(r"[\s()]", "", phone or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    raise ServiceError(
        "phone_invalid",
        _("Enter a mainland mobile number (11 digits) or a landline with its area code."),
        field="contact_phone",
    )


def clean_district(district: Region | None) -> Region:
    if district is None or district.level != Region.Level.DISTRICT:
        raise ServiceError("district_invalid", _("Choose a district."), field="district")
    return district


def clean_community(community: Region | None, *, kind: str, district: Region) -> Region | None:
    """A community team names one community of its district; nothing else names one."""
    if kind != Organisation.Kind.COMMUNITY_TEAM:
        if community is not None:
            raise ServiceError(
                "community_not_allowed",
                _("Only a community volunteer team belongs to a community; leave it empty."),
                field="community",
            )
        return None
    if community is None:
        raise ServiceError(
            "community_required",
            _("A community volunteer team must name its community."),
            field="community",
        )
    if community.level != Region.Level.COMMUNITY or community.district != district:
        raise ServiceError(
            "community_outside_district",
            _("Choose a community inside the chosen district."),
            field="community",
        )
    return community


def clean_logo(upload) -> SimpleUploadedFile:
    """Checks the upload is a real image of a sane size; returns it re-encoded without EXIF."""
    image = clean_image(upload, LOGO)
    return SimpleUploadedFile("logo.png", image.data, content_type="image/png")
