"""ASGI entry point, for operators who serve Django with an ASGI server."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tbits_portal.settings")
application = get_asgi_application()
