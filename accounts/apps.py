"""App configuration for fan login."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Fan login through OAuth and Sessions/Connect; label ``tbits_accounts``."""

    name = "accounts"
    label = "tbits_accounts"
    verbose_name = "Tradable Bits fan accounts"
    default_auto_field = "django.db.models.BigAutoField"
