"""Creating and changing district sites.

Every field is checked (and every image re-encoded) before anything is written, so a refusal
saves nothing. New image files are written inside the transaction and removed again when it
fails; replaced ones go once the change is committed. Every write moves the look-up's cache
version on (inside the transaction and again after the commit, so a request that read the
old rows in between cannot leave a stale map behind).
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from gongyi import permissions
from gongyi.accounts.models import User
from gongyi.core.audit import audit_log
from gongyi.core.errors import NotAllowed, ServiceError
from gongyi.core.images import CleanImage, clean_image
from gongyi.orgs.validators import clean_district
from gongyi.regions.models import Region
from gongyi.sites import validators
from gongyi.sites.models import DEFAULT_ACCENT, DEFAULT_PRIMARY, Site
from gongyi.sites.selectors import bump_sites_version

# What a district admin may change: the look. The rest (address, district, state) is the city's.
LOOK_FIELDS = ("name", "tagline", "primary_colour", "accent_colour")
ADDRESS_FIELDS = ("district", "host", "slug", "is_active")
IMAGE_FIELDS = ("logo", "banner")
NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _clean(field: str, value):
    cleaners = {
        "name": validators.clean_name,
        "tagline": validators.clean_tagline,
        "primary_colour": validators.clean_primary_colour,
        "accent_colour": validators.clean_accent_colour,
        "district": clean_district,
        "host": validators.clean_host,
        "slug": validators.clean_slug,
        "is_active": bool,
    }
    return cleaners[field](value)


def _check_unique(values: dict, *, exclude: int | None = None) -> None:
    """Clear errors for a taken district, host or short name (the database would only say
    "unique constraint failed")."""
    others = Site.objects.exclude(pk=exclude) if exclude else Site.objects.all()
    district = values.get("district")
    if district is not None:
        taken = others.filter(district=district).first()
        if taken is not None:
            raise ServiceError(
                "district_taken",
                _("%(district)s already has a site: %(site)s.")
                % {"district": district.name, "site": taken.name},
                field="district",
            )
    if values.get("host") and others.filter(host=values["host"]).exists():
        raise ServiceError(
            "host_taken",
            _("Another site already answers at %(host)s.") % {"host": values["host"]},
            field="host",
        )
    if values.get("slug") and others.filter(slug=values["slug"]).exists():
        raise ServiceError(
            "slug_taken",
            _("The short name “%(slug)s” is taken by another site.") % {"slug": values["slug"]},
            field="slug",
        )


def _images(logo, banner) -> dict[str, CleanImage]:
    images = {}
    if logo:
        images["logo"] = clean_image(logo, validators.LOGO)
    if banner:
        images["banner"] = clean_image(banner, validators.BANNER)
    return images


def _write_images(site: Site, images: dict, written: list[str]) -> None:
    for field, image in images.items():
        name = f"sites/{site.slug}-{field}-{get_random_string(16, NAME_ALPHABET)}.{image.extension}"
        saved = default_storage.save(name, ContentFile(image.data))
        written.append(saved)
        setattr(site, field, saved)


def _changed_the_map() -> None:
    bump_sites_version()
    transaction.on_commit(bump_sites_version)


def _saving(call):
    """Run `call(written)` in a transaction; remove the files it wrote if anything fails, and
    turn a lost race on a unique field into the clear error the checks would have given."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return call(written)
    except IntegrityError:
        _remove(written)
        raise ServiceError(
            "site_taken",
            _("Another site was just saved with the same district, host or short name."),
        ) from None
    except BaseException:
        _remove(written)
        raise


def _remove(names) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


# --- create ---------------------------------------------------------------------------------


def site_create(
    *,
    actor: User,
    district: Region,
    name: str,
    slug: str,
    host: str = "",
    tagline: str = "",
    primary_colour: str = DEFAULT_PRIMARY,
    accent_colour: str = DEFAULT_ACCENT,
    logo=None,
    banner=None,
) -> Site:
    """A new, active site for the district (the city admin of the district's city)."""
    district = clean_district(district)
    if not permissions.can_create_site(actor, district):
        raise NotAllowed(
            "not_city_admin", _("Only the city's administrators may create a district's site.")
        )
    return _create(
        actor=actor,
        district=district,
        name=name,
        slug=slug,
        host=host,
        tagline=tagline,
        primary_colour=primary_colour,
        accent_colour=accent_colour,
        logo=logo,
        banner=banner,
    )


def _create(*, actor: User | None, district: Region, logo=None, banner=None, **fields) -> Site:
    """Check and save a new site, with no permission check (the demo calls this directly).
    The caller gives a district (`site_create` checks it before asking for permission)."""
    values = {field: _clean(field, value) for field, value in fields.items()}
    values["district"] = district
    _check_unique(values)
    images = _images(logo, banner)

    def save(written: list[str]) -> Site:
        site = Site(**values, created_by=actor if getattr(actor, "pk", None) else None)
        _write_images(site, images, written)
        site.save(force_insert=True)
        audit_log(
            actor=actor,
            action="site.created",
            target=site,
            district=district.code,
            host=site.host,
            slug=site.slug,
        )
        _changed_the_map()
        return site

    return _saving(save)


# --- update ---------------------------------------------------------------------------------


def site_update(
    *,
    actor: User,
    site: Site,
    logo=None,
    banner=None,
    remove_logo: bool = False,
    remove_banner: bool = False,
    **changes,
) -> Site:
    """Change a site. Its look (name, tagline, colours, logo, banner): the city admin or the
    district's admin; its district, host, short name or state: the city admin alone. Fields
    given with their current value count as unchanged."""
    unknown = set(changes) - set(LOOK_FIELDS) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"site_update() got unexpected fields: {sorted(unknown)}")
    if not permissions.can_edit_site_look(actor, site):
        raise NotAllowed("forbidden", _("You do not have permission to change this site."))
    values = {field: _clean(field, value) for field, value in changes.items()}
    changed = {f: v for f, v in values.items() if getattr(site, f) != v}
    if set(changed) & set(ADDRESS_FIELDS) and not permissions.can_manage_site(actor, site):
        raise NotAllowed(
            "look_only",
            _(
                "District administrators may change the site's look only, not its address "
                "or district."
            ),
        )
    new_district = changed.get("district")
    if new_district is not None and not permissions.can_create_site(actor, new_district):
        raise NotAllowed(
            "not_city_admin", _("Only the city's administrators may move a site to this district.")
        )
    _check_unique(changed, exclude=site.pk)
    images = _images(logo, banner)
    removing = [f for f, flag in (("logo", remove_logo), ("banner", remove_banner)) if flag]
    if not changed and not images and not any(getattr(site, f) for f in removing):
        return site

    def save(written: list[str]) -> Site:
        locked = Site.objects.select_for_update().get(pk=site.pk)
        replaced = [f for f in IMAGE_FIELDS if f in images or f in removing]
        old_files = [getattr(locked, f).name for f in replaced]
        before = {f: _audit_value(getattr(locked, f)) for f in changed}
        for field, value in changed.items():
            setattr(locked, field, value)
        for field in removing:
            setattr(locked, field, "")
        _write_images(locked, images, written)
        locked.updated_at = timezone.now()
        locked.save()
        audit_log(
            actor=actor,
            action=_action(changed),
            target=locked,
            changed=sorted({*changed, *images, *removing}),
            before=before,
            after={f: _audit_value(v) for f, v in changed.items()},
        )
        _changed_the_map()
        transaction.on_commit(lambda: _remove(old_files))
        return locked

    updated = _saving(save)
    return Site.objects.select_related("district", "district__city").get(pk=updated.pk)


def _audit_value(value):
    return value.code if isinstance(value, Region) else value


def _action(changed: dict) -> str:
    if set(changed) == {"is_active"}:
        return "site.activated" if changed["is_active"] else "site.deactivated"
    return "site.updated"


def site_set_active(*, actor: User, site: Site, active: bool) -> Site:
    """Take the site offline (its path fallback answers 404, its host shows the city's pages)
    or bring it back: the city admin."""
    return site_update(actor=actor, site=site, is_active=active)
