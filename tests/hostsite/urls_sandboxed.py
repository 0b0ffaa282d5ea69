"""The host site's URLs plus the API sandbox at ``/sandbox/`` (where ``live_sandbox`` looks)."""

from __future__ import annotations

from django.urls import include, path

from tests.hostsite.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("sandbox/", include("tbits_sandbox.urls")), *site_urlpatterns]
