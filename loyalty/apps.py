"""App configuration for the loyalty portal."""

from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    """Quests, tiers, points and rewards; label ``tbits_loyalty``."""

    name = "loyalty"
    label = "tbits_loyalty"
    verbose_name = "Tradable Bits loyalty portal"
    default_auto_field = "django.db.models.BigAutoField"
