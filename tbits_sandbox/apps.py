"""App configuration for the local emulator of the Tradable Bits API."""

from __future__ import annotations

from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The other side of the wire: never imported by the product packages."""

    name = "tbits_sandbox"
    label = "tbits_sandbox"
    verbose_name = "Tradable Bits API sandbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks and the quest trackers' signal receivers."""
        from tbits_sandbox import checks, trackers  # noqa: F401 - both register on import
