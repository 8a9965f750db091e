"""API of accounts, mounted at /api/v1/accounts: the same services as the pages.

Sign-up, codes and log-in are public; everything else needs the session or a bearer token.
"""

import datetime

from django.contrib.auth import authenticate, login, logout
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile
from pydantic import Field

from gongyi.accounts import selectors, services
from gongyi.accounts.backends import client_ip
from gongyi.accounts.codes import TooManyRequests
from gongyi.accounts.forms import LOGIN_LOCKED_MESSAGE
from gongyi.accounts.models import Volunteer
from gongyi.core.api_types import errors
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.regions.selectors import region_by_code

router = Router()


class DoneOut(Schema):
    detail: str


class LoginFailed(ServiceError):
    status = 401


class SendCodeIn(Schema):
    phone: str = Field(max_length=20)
    purpose: str = Field("signup", pattern="^(signup|reset)$")


class SignupIn(Schema):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=10)
    password: str = Field(max_length=128)


class LoginIn(Schema):
    phone: str = Field(max_length=20)
    password: str = Field(max_length=128)


class TokenIn(Schema):
    name: str = Field("API", max_length=64)


class TokenOut(Schema):
    name: str
    prefix: str
    key: str


class VolunteerOut(Schema):
    number: str
    real_name: str
    id_type: str
    id_number_masked: str
    gender: str
    birth_date: datetime.date | None
    guardian_name: str
    skills: list[str]
    languages: list[str]
    interests: list[str]
    availability: list[str]
    home_region: str | None
    home_region_name: str
    photo: str | None
    registered_at: datetime.datetime


class MeOut(Schema):
    id: int
    phone: str
    display_name: str
    date_joined: datetime.datetime
    volunteer: VolunteerOut | None


class VolunteerIn(Schema):
    real_name: str = Field(max_length=50)
    id_type: str = Field(max_length=16)
    id_number: str = Field(max_length=32)
    privacy_consent: bool
    birth_date: datetime.date | None = None
    gender: str = Field("", max_length=1)
    guardian_name: str = Field("", max_length=50)
    guardian_phone: str = Field("", max_length=20)
    guardian_consent: bool = False
    home_region: str | None = Field(None, max_length=12, description="region code")


class ProfileIn(Schema):
    skills: list[str] | None = None
    languages: list[str] | None = None
    interests: list[str] | None = None
    availability: list[str] | None = None
    home_region: str | None = Field(None, max_length=12, description="region code")


def _region(code: str | None) -> Region | None:
    """The region of a code (the service checks its level); unknown codes are refused."""
    if not code:
        return None
    region = region_by_code(code)
    if region is None:
        raise services.region_invalid()
    return region


def volunteer_out(volunteer: Volunteer) -> dict:
    return {
        **{f: getattr(volunteer, f) for f in VolunteerOut.model_fields if hasattr(volunteer, f)},
        "home_region": volunteer.home_region.code if volunteer.home_region else None,
        "home_region_name": selectors.region_path(volunteer.home_region),
        "photo": volunteer.photo.url if volunteer.photo else None,
    }


def me_out(user) -> dict:
    volunteer = selectors.volunteer_of(user)
    return {
        "id": user.pk,
        "phone": user.phone,
        "display_name": user.display_name,
        "date_joined": user.date_joined,
        "volunteer": volunteer_out(volunteer) if volunteer else None,
    }


def _my_volunteer(request) -> Volunteer:
    volunteer = selectors.volunteer_of(request.auth)
    if volunteer is None:
        raise Http404
    return volunteer


@router.post("/send-code", auth=None, response={200: DoneOut, **errors(400, 422, 429)})
def send_code(request, payload: SendCodeIn):
    services.send_code(phone=payload.phone, purpose=payload.purpose, ip=client_ip(request))
    return {"detail": _("If the number can receive it, a code is on its way.")}


@router.post("/signup", auth=None, response={201: MeOut, **errors(400, 422)})
def signup(request, payload: SignupIn):
    user = services.signup(phone=payload.phone, code=payload.code, password=payload.password)
    login(request, user)
    return Status(201, me_out(user))


@router.post("/password-reset", auth=None, response={200: DoneOut, **errors(400, 422)})
def password_reset(request, payload: SignupIn):
    services.reset_password(phone=payload.phone, code=payload.code, password=payload.password)
    return {"detail": _("Your password has been changed. Please log in.")}


@router.post("/login", auth=None, response={200: MeOut, **errors(400, 401, 422, 429)})
def login_session(request, payload: LoginIn):
    user = authenticate(request, username=payload.phone.strip(), password=payload.password)
    if user is None and getattr(request, "login_locked", False):
        raise TooManyRequests("login_locked", LOGIN_LOCKED_MESSAGE)
    if user is None:
        raise LoginFailed("login_failed", _("The mobile number or the password is not correct."))
    login(request, user)
    return me_out(user)


@router.post("/tokens", response={201: TokenOut, **errors(400, 401, 403, 422)})
def create_token(request, payload: TokenIn):
    token, key = services.create_api_token(user=request.auth, name=payload.name)
    return Status(201, {"name": token.name, "prefix": token.prefix, "key": key})


@router.get("/me", response={200: MeOut, **errors(401)})
def me(request):
    return me_out(request.auth)


@router.post("/volunteer", response={201: VolunteerOut, **errors(400, 401, 403, 422)})
def register_volunteer(request, payload: VolunteerIn):
    data = payload.model_dump()
    data["home_region"] = _region(data["home_region"])
    volunteer = services.register_volunteer(user=request.auth, **data)
    return Status(201, volunteer_out(volunteer))


@router.get("/volunteer/profile", response={200: VolunteerOut, **errors(401, 404)})
def get_profile(request):
    return volunteer_out(_my_volunteer(request))


@router.patch("/volunteer/profile", response={200: VolunteerOut, **errors(400, 401, 403, 404, 422)})
def patch_profile(request, payload: ProfileIn):
    volunteer = _my_volunteer(request)
    changes = payload.model_dump(exclude_unset=True)
    if "home_region" in changes:
        changes["home_region"] = _region(changes["home_region"])
    return volunteer_out(services.update_profile(volunteer=volunteer, **changes))


@router.post("/volunteer/photo", response={200: VolunteerOut, **errors(400, 401, 403, 404, 422)})
def upload_photo(request, photo: File[UploadedFile]):
    volunteer = _my_volunteer(request)
    return volunteer_out(services.update_profile(volunteer=volunteer, photo=photo))


@router.get(
    "/export",
    response={200: dict, **errors(401)},
    summary="Download my personal data",
    description="Everything the platform holds about the caller, as one JSON object.",
)
def export(request):
    return selectors.export_personal_data(viewer=request.auth, user=request.auth)


class CloseIn(Schema):
    password: str = Field(max_length=128)


@router.post("/close", response={200: DoneOut, **errors(400, 401, 403, 422)})
def close(request, payload: CloseIn):
    services.close_account(user=request.auth, password=payload.password)
    if request.user.is_authenticated:
        logout(request)
    return {"detail": _("Your account has been closed.")}
