"""The one way the web layer gets an API client: :func:`get_client`.

One client per process and per configuration, so every request shares one connection
pool. Its 429 cooldowns and its circuit breaker live in the Django cache, so when one
worker learns that the API is down or throttling, the others fail fast too instead of each
making fans wait for a timeout.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver

from accounts.app_settings import app_settings
from tbits_client import CircuitBreaker, TbitsClient

# After this many consecutive failures the client fails fast for RESET seconds, so a down
# API costs fans a quick error page instead of a timeout each. Read when the client is
# (re)built, so a test may patch them.
CIRCUIT_BREAKER_THRESHOLD = 5
CIRCUIT_BREAKER_RESET = 30

_lock = threading.Lock()
_client: TbitsClient | None = None
_client_config: tuple[Any, ...] | None = None


def _config() -> tuple[Any, ...]:
    timeout = app_settings.API_TIMEOUT
    return (
        str(app_settings.API_BASE_URL),
        str(app_settings.API_KEY),
        str(app_settings.API_SECRET or "") or None,
        tuple(timeout) if isinstance(timeout, list | tuple) else timeout,
        int(app_settings.API_MAX_RETRIES),
        CIRCUIT_BREAKER_THRESHOLD,
        CIRCUIT_BREAKER_RESET,
        str(app_settings.CACHE_ALIAS),
    )


def _build(config: tuple[Any, ...]) -> TbitsClient:
    base_url, api_key, api_secret, timeout, max_retries, threshold, reset, _alias = config
    shared = app_settings.cache()
    return TbitsClient(
        base_url=base_url,
        api_key=api_key,
        api_secret=api_secret,
        timeout=timeout,
        max_retries=max_retries,
        cooldown_cache=shared,
        circuit_breaker=CircuitBreaker(
            failure_threshold=threshold, recovery_seconds=float(reset), cache=shared
        ),
    )


def get_client() -> TbitsClient:
    """The process-wide client for the current ``TBITS`` settings."""
    global _client, _client_config
    config = _config()
    client = _client
    if client is not None and _client_config == config:
        return client
    with _lock:
        if _client is None or _client_config != config:
            _discard(_client)
            _client = _build(config)
            _client_config = config
        return _client


def _discard(client: TbitsClient | None) -> None:
    # Settings only change under tests; closing the pool there means no keep-alive socket
    # outlives the server it was connected to (a live test server shuts down cleanly).
    if client is not None:
        client.close()


def business_id() -> str:
    """The business (team) the portal serves, as the API expects it."""
    return str(app_settings.BUSINESS_ID)


@receiver(setting_changed)
def _reset_on_settings_change(*, setting: str, **kwargs: Any) -> None:
    # Tests and `override_settings` swap TBITS (e.g. to a live sandbox URL); a client built
    # for the old values must not survive. _config() comparison also catches in-place edits.
    global _client, _client_config
    if setting in {"TBITS", "CACHES"}:
        with _lock:
            _discard(_client)
            _client = None
            _client_config = None
