"""Volunteer photos: only real images, not too big, re-encoded without EXIF (no GPS leaks)."""

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from gongyi.core.errors import ServiceError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 1200


def clean_photo(upload) -> ContentFile:
    """A JPEG copy of the uploaded image, upright, at most MAX_PHOTO_SIDE, with no metadata."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ServiceError("photo_too_big", _("The photo must be at most 5 MB."), field="photo")
    try:
        with Image.open(upload) as im:
            im.load()
            # exif_transpose applies the camera's rotation; saving without exif= drops EXIF/GPS.
            im = ImageOps.exif_transpose(im).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ServiceError(
            "photo_invalid", _("Please upload a photo (JPEG, PNG or WebP)."), field="photo"
        ) from exc
    im.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
