"""The host site's URLs; the two ``include()`` lines are the portal."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from tests.hostsite.users import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.ClubLoginView.as_view(), name="login"),
    path("logout/", views.ClubLogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("admin/", admin.site.urls),
    path("fans/account/", include("accounts.urls")),  # tbits-portal
    path("fans/", include("loyalty.urls")),  # tbits-portal
    path("ops/", include("accounts.health.urls")),  # tbits-portal: /ops/healthz, /ops/readyz
]
