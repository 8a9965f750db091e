"""From upload to the JPEGs we keep: the real type is checked, EXIF/GPS never survive."""

import io

import pytest
from PIL import Image, ImageCms

from gongyi.core.errors import ServiceError
from gongyi.snapshots import processing
from gongyi.snapshots.tests.conftest import CAMERA, gps_photo, jpeg, photo


def opened(rendition: processing.Rendition) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def refusal(upload) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        processing.process(upload, label="Photo 1 (x)")
    assert caught.value.field == "photos"
    assert "Photo 1 (x)" in str(caught.value.message)  # the message names the file
    return caught.value


def assert_no_metadata(rendition: processing.Rendition) -> None:
    image = opened(rendition)
    assert image.format == "JPEG" and image.mode == "RGB"
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(0x8825) == {}  # no GPS IFD
    for key in ("exif", "icc_profile", "xmp", "comment"):
        assert key not in image.info
    assert b"Exif\x00\x00" not in rendition.data
    assert CAMERA.encode() not in rendition.data
    assert b"home address" not in rendition.data


def test_the_test_photo_really_carries_gps_and_orientation():
    source = Image.open(io.BytesIO(gps_photo()))
    exif = source.getexif()
    assert exif[0x0112] == 6 and exif[0x010F] == CAMERA
    assert exif.get_ifd(0x8825)[2] == (31.0, 14.0, 9.0)  # GPSLatitude


def test_exif_and_gps_are_gone_and_the_photo_is_upright():
    done = processing.process(photo(data=gps_photo(size=(320, 200))), label="p")
    for rendition in (done.image, done.thumb):
        assert_no_metadata(rendition)
    image = opened(done.image)
    # Orientation 6 is a quarter turn clockwise: 320x200 stored, 200x320 seen; the left
    # (red) half of the sensor image is now the top.
    assert image.size == (200, 320) == (done.image.width, done.image.height)
    red, blue = image.getpixel((100, 40)), image.getpixel((100, 280))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60


def test_large_photos_are_resized_and_thumbnailed():
    done = processing.process(photo(data=jpeg(size=(4000, 2000))), label="p")
    assert opened(done.image).size == (1600, 800)
    assert opened(done.thumb).size == (400, 200)
    assert (done.thumb.width, done.thumb.height) == (400, 200)


def test_small_photos_are_not_enlarged():
    done = processing.process(photo(data=jpeg(size=(300, 100))), label="p")
    assert opened(done.image).size == (300, 100) and opened(done.thumb).size == (300, 100)


def test_transparent_png_is_flattened_onto_white():
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(out, format="PNG")
    done = processing.process(photo("a.png", out.getvalue(), "image/png"), label="p")
    assert opened(done.image).getpixel((25, 25)) >= (250, 250, 250)


def test_webp_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(out, format="WEBP")
    done = processing.process(photo("a.webp", out.getvalue(), "image/webp"), label="p")
    assert opened(done.image).size == (60, 40)


def test_colour_profiles_are_applied_not_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    done = processing.process(photo(data=jpeg(icc_profile=srgb)), label="p")
    assert_no_metadata(done.image)


def test_cmyk_jpeg_becomes_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (40, 40), (0, 255, 255, 0)).save(out, format="JPEG")
    done = processing.process(photo(data=out.getvalue()), label="p")
    assert opened(done.image).mode == "RGB"


def test_a_text_file_named_jpg_is_refused():
    text = photo("holiday.jpg", "这不是照片，只是文字。".encode(), "image/jpeg")
    assert refusal(text).code == "not_an_image"


def test_other_image_types_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, format="GIF")
    assert refusal(photo("a.jpg", out.getvalue(), "image/jpeg")).code == "not_an_image"


def test_a_truncated_jpeg_is_refused():
    data = jpeg(size=(400, 400))
    assert refusal(photo(data=data[: len(data) // 2])).code == "photo_damaged"


def test_an_empty_file_is_refused():
    assert refusal(photo(data=b"")).code == "photo_empty"


def test_a_file_over_10_mb_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(processing, "_decode", lambda *a: pytest.fail("decoded"))
    big = photo(data=b"\xff" * (processing.MAX_BYTES + 1))
    error = refusal(big)
    assert error.code == "photo_too_large" and "10 MB" in str(error.message)


@pytest.mark.parametrize("size", [(8000, 7000), (12000, 12000)])
def test_too_many_pixels_is_refused_without_decoding(size):
    # 56 M pixels (over our cap) and 144 M (over Pillow's bomb limit too): a small file
    # (1-bit PNG) that would take hundreds of MB once decoded.
    out = io.BytesIO()
    Image.new("1", size).save(out, format="PNG")
    assert len(out.getvalue()) < 2 * 1024 * 1024
    assert refusal(photo("bomb.png", out.getvalue(), "image/png")).code == "photo_too_many_pixels"
