"""The one exception services raise when a request cannot be carried out.

It carries a stable code (for the API and tests) and a message in the user's language
(a lazy translation). Views turn it into a form error or a message; the API into JSON.
"""


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
