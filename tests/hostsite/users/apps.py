"""The host site's members app."""

from __future__ import annotations

from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "tests.hostsite.users"
    label = "users"
    default_auto_field = "django.db.models.BigAutoField"
