"""App configuration for the loyalty portal."""

from __future__ import annotations

from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    """Quests, tiers, points and rewards; label ``tbits_loyalty``."""

    name = "loyalty"
    label = "tbits_loyalty"
    verbose_name = "Tradable Bits loyalty portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The accounts app reports unknown TBITS keys; ours are known, not typos.
        from accounts.app_settings import register_known_keys
        from loyalty.app_settings import DEFAULTS

        register_known_keys(*DEFAULTS)

        # Importing checks registers the system checks of our keys' values.
        from loyalty import checks, receivers  # noqa: F401

        receivers.connect()

        # The profile page (accounts) keeps the portal's header and navigation.
        from accounts.shell import register_shell_provider
        from loyalty.shell import shell_for_accounts_page

        register_shell_provider(shell_for_accounts_page)
