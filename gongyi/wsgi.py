"""WSGI entry point: served by granian (see Makefile `run`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import reverse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongyi.settings")
application = get_wsgi_application()

# Load every view now (the first reverse() reads every URL pattern, which imports them),
# then hand what start-up built to the permanent generation: those objects live as long as
# the process, and a full collection would otherwise walk all of them (~200,000; ~130 ms
# each time on the signup burst, ~7 % of a request's CPU on average). Python's gc.freeze
# documentation describes this use.
reverse("healthz")
gc.freeze()
