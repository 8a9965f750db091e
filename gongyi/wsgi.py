"""WSGI entry point: served by granian (see Makefile `run`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
application = get_wsgi_application()
