"""URLs of fan login; namespace ``tbits_accounts``."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "tbits_accounts"

urlpatterns = [
    path("login/", TemplateView.as_view(template_name="tbits_accounts/login.html"), name="login"),
]
