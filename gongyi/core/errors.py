"""The one exception services raise when a request cannot be carried out.

It carries a stable code (for the API and tests) and a message in the user's language
(a lazy translation). Views turn it into a form error or a message; the API into JSON.
"""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, message, *, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


class NotAllowed(ServiceError):
    """The actor has no role that allows this."""

    status = 403


class NotFound(ServiceError):
    """What was asked for does not exist (or is not of the kind asked for)."""

    status = 404


def require_allowed(allowed: bool) -> None:
    """A service's own permission check: `require_allowed(permissions.can_x(actor, row))`
    raises NotAllowed (403) unless the permission function allowed it."""
    if not allowed:
        raise NotAllowed("forbidden", _("You do not have permission to do this."))
