"""The probes' URLs: ``path("", include("accounts.health.urls"))`` in a site's root URLconf."""

from __future__ import annotations

from django.urls import path

from accounts.health import views

app_name = "tbits_health"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
