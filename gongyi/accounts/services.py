"""Writes of the accounts app: sign-up, passwords, volunteer registration, profile, closing.

Each function checks its input and raises ServiceError with a translated message, so pages
and the API give the same answers; nothing is written unless everything is valid.
"""

import datetime
import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.accounts import codes, identity, selectors
from gongyi.accounts.api_auth import token_hash
from gongyi.accounts.choices import CATEGORY_CODES, SLOT_CODES
from gongyi.accounts.models import ApiToken, User, Volunteer
from gongyi.accounts.photos import clean_photo
from gongyi.core.audit import audit_log
from gongyi.core.crypto import encrypt
from gongyi.core.errors import ServiceError
from gongyi.regions.models import Region
from gongyi.regions.selectors import check_region_chain

PHONE_RE = re.compile(r"1[3-9]\d{9}")
# Letters of any script, with the spaces, dots and hyphens of foreign names (no digits).
NAME_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ ·•.'\-])*")
MIN_AGE = 14
ADULT_AGE = 18
MAX_LIST_ITEMS = 20
MAX_ITEM_LENGTH = 30
UNSET = object()


# --- Accounts --------------------------------------------------------------------------------


def check_phone(phone: str, *, field: str = "phone") -> str:
    phone = (phone or "").strip()
    if not PHONE_RE.fullmatch(phone):
        raise ServiceError(
            "phone_invalid", _("Please enter an 11-digit mainland mobile number."), field=field
        )
    return phone


def _phone_taken() -> ServiceError:
    return ServiceError(
        "phone_taken",
        _("This mobile number already has an account. Log in or reset the password."),
        field="phone",
    )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ServiceError("password_invalid", " ".join(exc.messages), field="password") from exc


def send_code(*, phone: str, purpose: str, ip: str | None = None) -> None:
    """Text a code for sign-up or reset (for reset, hiding whether the number has an account)."""
    phone = check_phone(phone)
    exists = User.objects.filter(phone=phone, is_active=True).exists()
    if purpose == "signup" and User.objects.filter(phone=phone).exists():
        raise _phone_taken()
    codes.issue_code(phone=phone, purpose=purpose, ip=ip, deliver=purpose != "reset" or exists)


def signup(*, phone: str, code: str, password: str) -> User:
    phone = check_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise _phone_taken()
    _check_password(password, User(phone=phone))
    codes.check_code(phone=phone, purpose="signup", code=code)
    try:
        with transaction.atomic():
            user = User.objects.create_user(phone, password)
            audit_log(actor=user, action="account.signed_up", target=user)
    except IntegrityError as exc:  # the same number signed up a moment ago
        raise _phone_taken() from exc
    return user


def reset_password(*, phone: str, code: str, password: str) -> User:
    phone = check_phone(phone)
    user = User.objects.filter(phone=phone, is_active=True).first()
    _check_password(password, user or User(phone=phone))
    # Without an account no code was ever sent, so this answers like a wrong code.
    codes.check_code(phone=phone, purpose="reset", code=code if user else "")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_log(actor=user, action="account.password_reset", target=user)
    return user


def note_password_changed(*, user: User) -> None:
    """Django's PasswordChangeView saves the password; the audit log still hears of it."""
    with transaction.atomic():
        audit_log(actor=user, action="account.password_changed", target=user)


def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new bearer token; the key is returned once and only its hash is kept."""
    name = (name or "").strip()[:64] or "API"
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=token_hash(key), prefix=key[:8]
        )
        audit_log(actor=user, action="account.token_created", target=token, name=name)
    return token, key


# --- Volunteer registration --------------------------------------------------------------------


def new_volunteer_number() -> str:
    """`V` + 10 random digits: public, unguessable, and unrelated to the ID number."""
    for _attempt in range(20):
        number = f"V{secrets.randbelow(10**10):010d}"
        if not Volunteer.objects.filter(number=number).exists():
            return number
    raise RuntimeError("no free volunteer number after 20 tries")


def _id_taken() -> ServiceError:
    return ServiceError(
        "id_taken",
        _("This ID number is already registered: one person can hold only one account."),
        field="id_number",
    )


def check_real_name(real_name: str) -> str:
    real_name = " ".join((real_name or "").split())
    if not (2 <= len(real_name) <= 50) or not NAME_RE.fullmatch(real_name):
        raise ServiceError(
            "name_invalid",
            _("Please enter your real name as on your ID document."),
            field="real_name",
        )
    return real_name


def _personal_facts(
    doc: identity.Identity, birth_date: datetime.date | None, gender: str, today: datetime.date
) -> tuple[datetime.date, str]:
    """Birth date and gender: read from a resident ID, entered by the person otherwise."""
    if doc.birth_date:
        return doc.birth_date, doc.gender
    if birth_date is None or not (datetime.date(1900, 1, 1) <= birth_date <= today):
        raise ServiceError(
            "birth_date_invalid", _("Please enter your birth date."), field="birth_date"
        )
    if gender not in Volunteer.Gender.values:
        raise ServiceError("gender_invalid", _("Please choose your gender."), field="gender")
    return birth_date, gender


def _guardian(
    age: int, name: str, phone: str, consent: bool
) -> tuple[str, str, datetime.datetime | None]:
    """The guardian fields to store: required from 14 to 17, dropped for adults."""
    if age < MIN_AGE:
        raise ServiceError(
            "too_young",
            _("Children under 14 cannot register on their own. Please ask a parent or guardian."),
            field="id_number",
        )
    if age >= ADULT_AGE:
        return "", "", None
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(
            "guardian_required",
            _("Volunteers aged 14 to 17 need their guardian's name."),
            field="guardian_name",
        )
    phone = check_phone(phone, field="guardian_phone")
    if not consent:
        raise ServiceError(
            "guardian_consent_required",
            _("Volunteers aged 14 to 17 need their guardian's consent."),
            field="guardian_consent",
        )
    return name[:50], phone, timezone.now()


def region_invalid() -> ServiceError:
    return ServiceError(
        "region_invalid", _("Please choose a district, street or community."), field="home_region"
    )


def check_home_region(
    region: Region | None = None,
    *,
    district: Region | None = None,
    street: Region | None = None,
    community: Region | None = None,
) -> Region | None:
    """The home region to store, or None when none is chosen.

    The API names one region (a district, street or community: its own parents make the
    chain). Pages pick district → street → community, each optional below the district and
    each inside the one above; the most specific one chosen is the home region.
    """
    if region is not None:
        if street is not None or community is not None or district is not None:
            raise ValueError("name one region, or the district → street → community chain")
        if region.level < Region.Level.DISTRICT:
            raise region_invalid()
        return region
    if district is None:
        if street is not None or community is not None:
            raise ServiceError(
                "region_invalid", _("Please choose your district first."), field="home_district"
            )
        return None
    return check_region_chain(
        ("home_district", district, Region.Level.DISTRICT),
        ("home_street", street, Region.Level.STREET),
        ("home_community", community, Region.Level.COMMUNITY),
    )


def register_volunteer(
    *,
    user: User,
    real_name: str,
    id_type: str,
    id_number: str,
    privacy_consent: bool,
    birth_date: datetime.date | None = None,
    gender: str = "",
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    home_region: Region | None = None,
    home_district: Region | None = None,
    home_street: Region | None = None,
    home_community: Region | None = None,
    today: datetime.date | None = None,
) -> Volunteer:
    """Make the user a volunteer under their real name: one person, one account."""
    today = today or timezone.localdate()
    if selectors.volunteer_of(user) is not None:
        raise ServiceError("already_registered", _("You are already registered as a volunteer."))
    real_name = check_real_name(real_name)
    doc = identity.check_id_number(id_type, id_number)
    born, gender = _personal_facts(doc, birth_date, gender, today)
    guardian = _guardian(
        identity.age_on(born, today), guardian_name, guardian_phone, guardian_consent
    )
    home_region = check_home_region(
        home_region, district=home_district, street=home_street, community=home_community
    )
    if not privacy_consent:
        raise ServiceError(
            "consent_required",
            _("Please read and accept the privacy notice."),
            field="privacy_consent",
        )
    if selectors.id_number_taken(doc.lookup_key):
        raise _id_taken()
    fields = dict(
        user=user,
        real_name=real_name,
        id_type=doc.id_type,
        id_number_encrypted=encrypt(doc.number),
        id_number_hash=doc.lookup_key,
        id_number_masked=doc.masked,
        gender=gender,
        birth_date=born,
        guardian_name=guardian[0],
        guardian_phone=guardian[1],
        guardian_consent_at=guardian[2],
        home_region=home_region,
        privacy_consent_at=timezone.now(),
    )
    with transaction.atomic():
        volunteer = _insert_volunteer(fields)
        audit_log(
            actor=user, action="volunteer.registered", target=volunteer, number=volunteer.number
        )
    return volunteer


def _insert_volunteer(fields: dict) -> Volunteer:
    """Insert under the unique constraints: a lost race on the ID gives the friendly error."""
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint, so the outer transaction survives
                return Volunteer.objects.create(number=new_volunteer_number(), **fields)
        except IntegrityError as exc:
            if selectors.id_number_taken(fields["id_number_hash"]):
                raise _id_taken() from exc
            if Volunteer.objects.filter(user=fields["user"]).exists():
                raise ServiceError(
                    "already_registered", _("You are already registered as a volunteer.")
                ) from exc
            # Otherwise another volunteer took the same number a moment ago: draw again.
    raise ServiceError("busy", _("Please try again."))


# --- Profile -----------------------------------------------------------------------------------


def _clean_words(values, field: str) -> list[str]:
    """Free-text lists (skills, languages): trimmed, de-duplicated, bounded."""
    if isinstance(values, str):
        values = re.split(r"[,，、;；\n]+", values)
    words = list(dict.fromkeys(w.strip() for w in values or [] if w and w.strip()))
    if len(words) > MAX_LIST_ITEMS or any(len(w) > MAX_ITEM_LENGTH for w in words):
        raise ServiceError(
            "list_too_long",
            _("At most 20 entries of up to 30 characters each."),
            field=field,
        )
    return words


def _clean_codes(values, allowed: frozenset, field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if any(v not in allowed for v in values):
        raise ServiceError("choice_invalid", _("Please choose from the list."), field=field)
    return values


def update_profile(
    *,
    volunteer: Volunteer,
    skills=UNSET,
    languages=UNSET,
    interests=UNSET,
    availability=UNSET,
    home_region=UNSET,
    home_district=UNSET,
    home_street: Region | None = None,
    home_community: Region | None = None,
    photo=UNSET,
) -> Volunteer:
    """Change the given parts of the profile (others are left alone, as for PATCH).

    The home region comes as one region (`home_region`, the API) or as the chain the pages
    pick (`home_district` with the optional street and community).
    """
    changes: dict = {}
    if skills is not UNSET:
        changes["skills"] = _clean_words(skills, "skills")
    if languages is not UNSET:
        changes["languages"] = _clean_words(languages, "languages")
    if interests is not UNSET:
        changes["interests"] = _clean_codes(interests, CATEGORY_CODES, "interests")
    if availability is not UNSET:
        changes["availability"] = _clean_codes(availability, SLOT_CODES, "availability")
    if home_region is not UNSET:
        changes["home_region"] = check_home_region(home_region)
    elif home_district is not UNSET:
        changes["home_region"] = check_home_region(
            district=home_district, street=home_street, community=home_community
        )
    new_photo = clean_photo(photo) if photo not in (UNSET, None) else None
    old_photo = volunteer.photo.name if new_photo else ""
    with transaction.atomic():
        for name, value in changes.items():
            setattr(volunteer, name, value)
        if new_photo:
            volunteer.photo.save(new_photo.name, new_photo, save=False)
        volunteer.save()
        if old_photo:
            storage = volunteer.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return volunteer


# --- Closing an account --------------------------------------------------------------------------


CLOSED_NAME = "已注销"  # stored data, not UI text: the same in every language


def close_account(*, user: User, password: str) -> None:
    """Anonymise the account; the volunteer number stays so past hours still add up."""
    if not user.check_password(password or ""):
        raise ServiceError("password_wrong", _("The password is not correct."), field="password")
    with transaction.atomic():
        volunteer = selectors.volunteer_of(user)
        if volunteer is not None:
            _anonymise_volunteer(volunteer)
        user.phone = f"closed-{user.pk}"
        user.display_name = ""
        user.is_active = False
        user.closed_at = timezone.now()
        user.set_unusable_password()
        user.save()
        user.api_tokens.all().delete()
        audit_log(actor=user, action="account.closed", target=user)


def _anonymise_volunteer(volunteer: Volunteer) -> None:
    photo = volunteer.photo.name
    volunteer.real_name = CLOSED_NAME
    # Clearing the hash frees the ID number: the person may register again one day.
    volunteer.id_number_encrypted = ""
    volunteer.id_number_hash = None
    volunteer.id_number_masked = ""
    volunteer.guardian_name = volunteer.guardian_phone = ""
    volunteer.guardian_consent_at = None
    volunteer.birth_date = None
    volunteer.gender = ""
    volunteer.skills, volunteer.languages, volunteer.availability = [], [], []
    volunteer.photo = ""
    volunteer.save()
    if photo:
        storage = volunteer.photo.storage
        transaction.on_commit(lambda: storage.delete(photo))
