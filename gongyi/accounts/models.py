"""Users, volunteer profiles with real-name identity, staff roles and API tokens."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.core.masking import mask_name, mask_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra):
        if not phone:
            raise ValueError("A user needs a mobile number.")
        user = self.model(phone=phone, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: logs in with a mainland mobile number and a password."""

    phone = models.CharField(_("mobile number"), max_length=20, unique=True)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or mask_phone(self.phone)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Volunteer(models.Model):
    """A user's volunteer profile (志愿者), registered with a real name and an ID document."""

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident identity card")
        PASSPORT = "passport", _("Passport")
        HK_MACAO_PERMIT = "hk_macao", _("Mainland travel permit for Hong Kong and Macao residents")
        TAIWAN_PERMIT = "taiwan", _("Mainland travel permit for Taiwan residents")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="volunteer",
    )
    number = models.CharField(_("volunteer number"), max_length=16, unique=True)
    real_name = models.CharField(_("real name"), max_length=50)
    id_type = models.CharField(_("ID type"), max_length=16, choices=IdType.choices)
    # The ID number itself is never stored in clear (DESIGN.md invariant 6).
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True)
    id_number_hash = models.CharField(
        _("ID number look-up hash"), max_length=64, unique=True, null=True, blank=True
    )
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=32, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's mobile number"), max_length=20, blank=True)
    guardian_consent_at = models.DateTimeField(
        _("guardian consent recorded at"), null=True, blank=True
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("service categories of interest"), default=list, blank=True)
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home district, street or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    photo = models.ImageField(_("photo"), upload_to="volunteers/", blank=True)
    privacy_consent_at = models.DateTimeField(
        _("privacy notice accepted at"), null=True, blank=True
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(guardian_consent_at__isnull=False, guardian_name=""),
                name="volunteer_consent_names_guardian",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.masked_name}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.real_name)

    def age_on(self, day) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class StaffRole(models.Model):
    """A platform role held by a user: district admin (one district), city admin, advisor."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("District admin")
        CITY_ADMIN = "city_admin", _("City admin")
        ADVISOR = "advisor", _("Advisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The district of a district admin, the city of a city admin."),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="staff_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.region}"


class ApiToken(models.Model):
    """A bearer token for the API (partner apps, scripts). Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=64)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    prefix = models.CharField(_("key prefix"), max_length=8)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
