"""URLs of the demo site: the two apps, the probes and, when enabled, the sandbox."""

from __future__ import annotations

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # GET /healthz and /readyz: the probes, as a host site mounts them.
    path("", include("accounts.health.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("portal/", include("loyalty.urls")),
    path("", RedirectView.as_view(pattern_name="tbits_loyalty:dashboard"), name="home"),
]

if getattr(settings, "TBITS_SANDBOX", False):
    urlpatterns.append(path("sandbox/", include("tbits_sandbox.urls")))

# Branded error pages inside the portal's shell (with DEBUG off; DEBUG shows Django's own).
handler403 = "accounts.views.errors.permission_denied"
handler404 = "accounts.views.errors.page_not_found"
handler500 = "accounts.views.errors.server_error"
