"""People, projects and pictures for the snapshot tests.

The people: `org_admin` organises `project`; `served` (袁小明) has confirmed hours in it;
`checked_out` (王大力) checked out of one of its shifts, hours not yet confirmed; `signed_up`
(李小红) only signed up; `outsider` has no role anywhere.
"""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from gongyi.attendance.models import Attendance
from gongyi.certificates.tests.conftest import bearer, make_record
from gongyi.signups.models import Signup
from gongyi.signups.tests.conftest import make_project, make_shift
from gongyi.snapshots import services
from gongyi.testing.people import make_volunteer

__all__ = ["bearer", "gps_photo", "jpeg", "media_files", "photo"]

CAMERA = "GongyiTestCam"


def jpeg(size=(320, 200), colour="red", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", **save)
    return out.getvalue()


def gps_photo(size=(320, 200), orientation: int = 6) -> bytes:
    """A JPEG whose left half is red and right half blue, with EXIF: camera make, an
    orientation (6: turn 90° clockwise to view) and a GPS position in Shanghai; and a comment."""
    image = Image.new("RGB", size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (31.0, 14.0, 9.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (121.0, 29.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"home address", quality=95)
    return out.getvalue()


def photo(name="photo.jpg", data: bytes | None = None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg() if data is None else data, content_type=content_type)


def media_files() -> list[Path]:
    """Every file under MEDIA_ROOT (each test has its own, empty at the start)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def project(org):
    return make_project(org, title="社区老人智能手机培训")


@pytest.fixture
def served(project):
    volunteer = make_volunteer(real_name="袁小明")
    make_record(volunteer, project, minutes=120)
    return volunteer


def _signup(project, volunteer) -> Signup:
    shift = make_shift(project, start=timezone.now() - timedelta(days=2))
    return Signup.objects.create(volunteer=volunteer, shift=shift, status="confirmed")


@pytest.fixture
def checked_out(project):
    volunteer = make_volunteer(real_name="王大力")
    signup = _signup(project, volunteer)
    start = signup.shift.starts_at
    Attendance.objects.create(
        signup=signup, checked_in_at=start, checked_out_at=start + timedelta(hours=3)
    )
    return volunteer


@pytest.fixture
def signed_up(project):
    volunteer = make_volunteer(real_name="李小红")
    _signup(project, volunteer)
    return volunteer


@pytest.fixture
def approved(project, org_admin):
    """An organiser's photo (approved at once)."""
    [snapshot] = services.snapshot_upload(
        actor=org_admin, project=project, photos=[photo()], captions=["志愿者合影"]
    )
    return snapshot


@pytest.fixture
def pending(project, served):
    """A volunteer's photo, waiting for the organiser."""
    [snapshot] = services.snapshot_upload(
        actor=served.user, project=project, photos=[photo()], captions=["教老人用手机"]
    )
    return snapshot


@pytest.fixture
def hidden(project, served, org_admin):
    [snapshot] = services.snapshot_upload(
        actor=served.user, project=project, photos=[photo()], captions=["模糊的照片"]
    )
    return services.snapshot_hide(actor=org_admin, snapshot=snapshot, reason="照片模糊")
