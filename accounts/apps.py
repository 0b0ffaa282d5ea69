"""App configuration for fan login."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Fan login through OAuth and Sessions/Connect; label ``tbits_accounts``."""

    name = "accounts"
    label = "tbits_accounts"
    verbose_name = "Tradable Bits fan accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing registers the system checks.
        from accounts import checks, checks_layout  # noqa: F401
