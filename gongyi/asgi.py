"""ASGI entry point, kept for completeness; production serves WSGI (DESIGN.md, Serving)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
application = get_asgi_application()
