"""The page shell's context: what the header and navigation around every page need.

The accounts app renders the login and profile pages but knows nothing of the portal
that may be installed beside it. An app that wants its header and navigation on those
pages too (the loyalty portal does: the profile page keeps the portal's header and tab
bar) registers a provider in its ``AppConfig.ready()``; the accounts views ask for the
shell through :func:`shell_context`. Dependency inversion, like the signals: accounts never
imports the app that provides the shell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

ShellProvider = Callable[[HttpRequest], Mapping[str, Any]]

_providers: list[ShellProvider] = []


def register_shell_provider(provider: ShellProvider) -> None:
    """Add ``provider`` (idempotent: ``ready()`` may run more than once in tests)."""
    if provider not in _providers:
        _providers.append(provider)


def shell_context(request: HttpRequest) -> dict[str, Any]:
    """The context every registered provider adds for ``request`` (empty without any)."""
    context: dict[str, Any] = {}
    for provider in _providers:
        context.update(provider(request))
    return context


#: The portal's home: the loyalty dashboard when that app is mounted, else the login page.
HOME_URL_NAMES = ("tbits_loyalty:dashboard", "tbits_accounts:login")


def home_url() -> str:
    """The portal's home page (by URL name, so accounts needs no import of the portal)."""
    for name in HOME_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return "/"
