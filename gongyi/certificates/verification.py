"""Public verification by number and code, throttled per address; the URL in the QR code."""

import segno
from django.utils.translation import gettext as _

from gongyi.certificates import selectors, throttle
from gongyi.certificates.models import Certificate, Passport
from gongyi.core.errors import ServiceError


class Throttled(ServiceError):
    status = 429


def _check(find, *, number: str, code: str, ip: str | None):
    """What `find` answers for a number and code; Throttled once the address guessed too
    often, and a None counts as one more guess."""
    if throttle.is_blocked(ip):
        raise Throttled(
            "too_many_attempts",
            _("Too many wrong numbers or codes from your address. Please try again later."),
        )
    found = find(number=number, code=code)
    if found is None:
        throttle.note_failure(ip)
    return found


def check_certificate(*, number: str, code: str, ip: str | None) -> Certificate | None:
    """The certificate (live or revoked) for a number and code, or None."""
    return _check(selectors.find_certificate, number=number, code=code, ip=ip)


def check_passport(*, number: str, code: str, ip: str | None) -> Passport | None:
    """The issued passport for a number and code, or None."""
    return _check(selectors.find_passport, number=number, code=code, ip=ip)


def certificate_verify_url(request, certificate: Certificate) -> str:
    """The absolute public URL printed under the QR code."""
    return request.build_absolute_uri(certificate.verify_path)


def passport_verify_url(request, passport: Passport) -> str:
    return request.build_absolute_uri(passport.verify_path)


def qr_data_uri(url: str) -> str:
    """The QR code of a URL as an SVG data URI (the pages' CSP allows data: images)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
