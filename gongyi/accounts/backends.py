"""Authentication: Django's ModelBackend, throttled against password guessing."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from gongyi.accounts import throttle


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        ip = client_ip(request)
        if username and throttle.is_locked(username, ip):
            if request is not None:
                request.login_locked = True  # lets the form and the API say why
            raise PermissionDenied  # stops Django from trying other backends
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username and user is None:
            throttle.note_failure(username, ip)
        elif user is not None:
            throttle.clear(username, ip)
        return user
