"""From an uploaded file to the two JPEGs we keep: the photo (≤ 1600 px) and its thumbnail.

The real type is found by opening the file with Pillow restricted to JPEG, PNG and WebP
(the name and the Content-Type are never trusted, and no other decoder is ever run on an
upload). The picture is turned upright (EXIF orientation), flattened onto white, converted
to sRGB and copied into a fresh image, so nothing of the upload's metadata (EXIF with GPS,
XMP, ICC, comments) can reach the files written; the original is kept nowhere.
"""

import io
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from gongyi.core.errors import ServiceError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 10 * 1024 * 1024
# Decoded, 50 million pixels take ~200 MB (RGBA); phone cameras stay below it. Pillow's own
# bomb check (MAX_IMAGE_PIXELS, ~89 M) is higher, so this one speaks first, clearly.
MAX_PIXELS = 50_000_000
LONG_SIDE = 1600
THUMB_SIDE = 400
QUALITY = 85
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    image: Rendition
    thumb: Rendition


def _refused(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, field="photos")


def check_size(upload, label: str) -> None:
    size = upload.size or 0
    if size > MAX_BYTES:
        raise _refused(
            "photo_too_large",
            _("%(photo)s is larger than %(mb)s MB.") % {"photo": label, "mb": MAX_BYTES // 2**20},
        )
    if size == 0:
        raise _refused("photo_empty", _("%(photo)s is empty.") % {"photo": label})


def process(upload, *, label: str) -> Processed:
    """The photo and thumbnail of an upload; ServiceError (field "photos") when refused.
    `label` names the file in the error messages ("Photo 2 (IMG_0042.jpg)")."""
    check_size(upload, label)
    picture = _decode(upload, label)
    try:
        clean = _clean_copy(picture)
    except (OSError, ValueError) as error:  # a mode Pillow cannot convert (exotic PNGs)
        raise _refused(
            "photo_damaged", _("%(photo)s could not be read.") % {"photo": label}
        ) from error
    finally:
        picture.close()
    return Processed(image=_encode(clean, LONG_SIDE), thumb=_encode(clean, THUMB_SIDE))


def _decode(upload, label: str) -> Image.Image:
    not_accepted = _refused(
        "not_an_image",
        _("%(photo)s is not a JPEG, PNG or WebP image.") % {"photo": label},
    )
    too_big = _refused(
        "photo_too_many_pixels",
        _("%(photo)s has too many pixels (at most %(mp)s million).")
        % {"photo": label, "mp": MAX_PIXELS // 1_000_000},
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(upload, formats=ACCEPTED_FORMATS)
            if picture.width * picture.height > MAX_PIXELS:
                picture.close()
                raise too_big
            picture.load()  # decodes now: a truncated or damaged file fails here
    except ServiceError:
        raise
    except UnidentifiedImageError:
        raise not_accepted from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refused(
            "photo_damaged", _("%(photo)s is damaged or incomplete.") % {"photo": label}
        ) from None
    return picture


def _clean_copy(picture: Image.Image) -> Image.Image:
    """Upright, sRGB, RGB on white, in a new image that carries no metadata at all."""
    upright = ImageOps.exif_transpose(picture)  # a copy turned as the camera meant
    upright = _to_srgb(upright)
    clean = Image.new("RGB", upright.size, "white")
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))
    else:
        clean.paste(upright.convert("RGB"))
    return clean


def _to_srgb(picture: Image.Image) -> Image.Image:
    """Colours as the camera's profile (e.g. Display P3, CMYK) meant them, in sRGB: the
    profile itself is not kept, so without this the colours would shift."""
    icc = picture.info.get("icc_profile")
    if not icc or picture.mode not in ("RGB", "CMYK"):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(picture, source, SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):  # a broken profile: keep the pixels
        return picture


def _encode(picture: Image.Image, side: int) -> Rendition:
    copy = picture.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)  # only ever shrinks
    out = io.BytesIO()
    # No exif=, icc_profile=, xmp= or comment: the JPEG gets none of them.
    copy.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    return Rendition(out.getvalue(), copy.width, copy.height)
