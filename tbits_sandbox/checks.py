"""System checks: the sandbox must never be reachable by accident in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def sandbox_needs_debug(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E001 when the sandbox is installed while DEBUG is off, unless explicitly allowed."""
    if settings.DEBUG or getattr(settings, "TBITS_SANDBOX_ALLOW_WITHOUT_DEBUG", False) is True:
        return []
    return [
        Error(
            "The Tradable Bits sandbox is installed while DEBUG is off.",
            hint=(
                "The sandbox hands out sessions to anyone and shows verification codes in "
                "its outbox. Turn it off in production (TBITS_SANDBOX=0), or set "
                "TBITS_SANDBOX_ALLOW_WITHOUT_DEBUG=True for a deliberate staging setup."
            ),
            id="tbits_sandbox.E001",
        )
    ]
