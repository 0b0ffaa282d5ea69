"""The demo project's URLs plus the naive reference at ``/naive/<page>/``."""

from __future__ import annotations

from django.urls import include, path

from benchmarks import naive

urlpatterns = [
    path("naive/<str:page>/", naive.page, name="naive"),
    path("", include("tbits_portal.urls")),
]
