"""The API client the operator commands use, built from the ``TBITS`` settings.

The one module of this package that reads Django settings. The web layer's shared client
(``accounts.api.get_client``) keeps its circuit breaker and 429 cooldowns in the Django
cache, so that workers fail fast together; a command must not inherit that state: a check
run after an outage has to ask the API, not a breaker that still remembers the outage.
So commands get a client of their own, with the same settings and no shared state.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.app_settings import app_settings
from loyalty.app_settings import configured_point_type
from tbits_client import TbitsClient

__all__ = ["ConfiguredCredentials", "configured_credentials", "operator_client"]


@dataclass(frozen=True, slots=True)
class ConfiguredCredentials:
    """The ``TBITS`` values a command needs, as text (empty when unset)."""

    api_base_url: str
    api_key: str
    api_secret: str
    account_id: str
    business_id: str
    point_type: str = ""  # TBITS["POINT_TYPE"] for this business: a name or uid


def configured_credentials() -> ConfiguredCredentials:
    """The current ``TBITS`` values (read now, so test overrides apply)."""

    def text(name: str) -> str:
        value = getattr(app_settings, name)
        return "" if value is None else str(value).strip()

    return ConfiguredCredentials(
        api_base_url=text("API_BASE_URL"),
        api_key=text("API_KEY"),
        api_secret=text("API_SECRET"),
        account_id=text("ACCOUNT_ID"),
        business_id=text("BUSINESS_ID"),
        point_type=configured_point_type(text("BUSINESS_ID")) or "",
    )


def operator_client(credentials: ConfiguredCredentials | None = None) -> TbitsClient:
    """A fresh client for one command run (ConfigurationError when settings are unusable)."""
    values = credentials or configured_credentials()
    timeout = app_settings.API_TIMEOUT
    return TbitsClient(
        base_url=values.api_base_url,
        api_key=values.api_key,
        api_secret=values.api_secret or None,
        timeout=tuple(timeout) if isinstance(timeout, list | tuple) else timeout,
        max_retries=int(app_settings.API_MAX_RETRIES),
    )
