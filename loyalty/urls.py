"""URLs of the loyalty portal; namespace ``tbits_loyalty``."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "tbits_loyalty"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tbits_accounts:login"), name="dashboard"),
]
