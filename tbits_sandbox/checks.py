"""System checks: the sandbox must never be reachable by accident in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

#: The value ``TBITS_SANDBOX_TEST_SERVER`` must have for the sandbox to run without DEBUG.
#: A sentence, not a flag: ``1``, ``True`` or ``yes`` (copied from an example, left over
#: from a staging file) cannot say it, so only someone who read what it means can.
TEST_SERVER_SENTENCE = "this is a test server: anyone may read its codes"


@register()
def sandbox_needs_debug(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E001 when the sandbox is installed while DEBUG is off, unless said to be a test server."""
    said = getattr(settings, "TBITS_SANDBOX_TEST_SERVER", "")
    if settings.DEBUG or said == TEST_SERVER_SENTENCE:
        return []
    return [
        Error(
            "The Tradable Bits sandbox is installed while DEBUG is off.",
            hint=(
                "The sandbox hands out sessions to anyone and shows verification codes in "
                "its outbox and its sign-in page. Remove 'tbits_sandbox' from INSTALLED_APPS "
                "in production (and its include() from your URLs), or, on a test server only, "
                "set the setting TBITS_SANDBOX_TEST_SERVER to the sentence "
                f"{TEST_SERVER_SENTENCE!r}."
            ),
            id="tbits_sandbox.E001",
        )
    ]
