"""System checks report misconfiguration with stable ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import run_checks

from accounts.checks import check_environment, check_settings, check_shared_cache


def ids(messages: list[Any]) -> set[str]:
    return {m.id for m in messages}


def test_test_settings_are_clean() -> None:
    assert check_settings() == []
    assert check_environment() == []


def test_tbits_must_be_a_dict(settings: Any) -> None:
    settings.TBITS = "nope"
    assert ids(check_settings()) == {"tbits_accounts.E001"}


@pytest.mark.parametrize("key", ["API_KEY", "BUSINESS_ID", "API_BASE_URL"])
def test_required_values(settings: Any, key: str) -> None:
    settings.TBITS = {**settings.TBITS, key: ""}
    assert "tbits_accounts.E002" in ids(check_settings())


def test_oauth_needs_account_and_secret(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "OAUTH_ENABLED": True, "API_SECRET": ""}
    assert "tbits_accounts.E002" in ids(check_settings())


def test_unknown_key_is_a_typo(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "API_SECERT": "x"}
    messages = check_settings()
    assert "tbits_accounts.E003" in ids(messages)
    assert "API_SECERT" in next(m.msg for m in messages if m.id == "tbits_accounts.E003")


def test_bad_rate_limit(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "RATE_LIMITS": {"code_submit": "lots"}}
    assert "tbits_accounts.E004" in ids(check_settings())


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://nest.tradablebits.com/", True),
        ("http://127.0.0.1:8000/sandbox/", True),
        ("http://localhost:8000/sandbox/", True),
        ("http://nest.tradablebits.com/", False),
        ("ftp://x/", False),
    ],
)
def test_base_url_scheme(settings: Any, url: str, ok: bool) -> None:
    settings.TBITS = {**settings.TBITS, "API_BASE_URL": url}
    assert ("tbits_accounts.E005" not in ids(check_settings())) is ok


def test_adapter_must_import(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "ADAPTER": "nowhere.Adapter"}
    assert "tbits_accounts.E006" in ids(check_settings())


def test_proxy_count(settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "TRUSTED_PROXY_COUNT": -1}
    assert "tbits_accounts.E007" in ids(check_settings())


@pytest.mark.parametrize(
    ("interval", "ok"), [(300, True), (0, True), (None, True), (-1, False), ("5m", False)]
)
def test_session_check_interval(settings: Any, interval: Any, ok: bool) -> None:
    settings.TBITS = {**settings.TBITS, "SESSION_CHECK_INTERVAL": interval}
    assert ("tbits_accounts.E012" not in ids(check_settings())) is ok


@pytest.mark.parametrize(
    ("region", "ok"), [(None, True), ("CA", True), ("fr", True), ("XX", False), ("Canada", False)]
)
def test_phone_default_region(settings: Any, region: Any, ok: bool) -> None:
    settings.TBITS = {**settings.TBITS, "PHONE_DEFAULT_REGION": region}
    assert ("tbits_accounts.E013" not in ids(check_settings())) is ok


def test_signed_cookie_sessions_refused(settings: Any) -> None:
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    assert "tbits_accounts.E008" in ids(check_environment())


MIDDLEWARE = "accounts.middleware.TbitsMiddleware"


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        pytest.param([MIDDLEWARE], set(), id="listed"),
        pytest.param([], {"tbits_accounts.E009"}, id="not-listed"),
    ],
)
def test_middleware_must_be_listed(settings: Any, listed: list[str], expected: set[str]) -> None:
    kept = [m for m in settings.MIDDLEWARE if not m.startswith("accounts.")]
    settings.MIDDLEWARE = [*kept, *listed]

    problems = [p for p in check_environment() if p.id == "tbits_accounts.E009"]

    assert ids(problems) == expected
    for problem in problems:
        assert MIDDLEWARE in problem.msg


def test_dummy_cache_warns(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert "tbits_accounts.W001" in ids(check_environment())


def test_strict_samesite_warns(settings: Any) -> None:
    settings.SESSION_COOKIE_SAMESITE = "Strict"
    assert "tbits_accounts.W002" in ids(check_environment())


SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
MESSAGES = "django.contrib.messages.middleware.MessageMiddleware"
SITE_SESSION = "tests.accounts.test_checks.SiteSessionMiddleware"
ORDER_IDS = {"tbits_accounts.E010", "tbits_accounts.E011", "tbits_accounts.W004"}


class SiteSessionMiddleware(SessionMiddleware):
    """A site's own session middleware: a subclass counts as the session middleware."""


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        pytest.param([SESSION, MESSAGES, MIDDLEWARE], set(), id="after-both"),
        pytest.param([MIDDLEWARE, SESSION, MESSAGES], {"E010", "W004"}, id="first"),
        pytest.param([SESSION, MIDDLEWARE, MESSAGES], {"W004"}, id="before-messages"),
        pytest.param([MESSAGES, MIDDLEWARE, SESSION], {"E010"}, id="before-session"),
        pytest.param([MESSAGES, MIDDLEWARE], {"E010"}, id="no-session-middleware"),
        pytest.param([SESSION, MIDDLEWARE], {"E011"}, id="no-message-middleware"),
        pytest.param([SITE_SESSION, MESSAGES, MIDDLEWARE], set(), id="site-subclass-after"),
        pytest.param([MIDDLEWARE, SITE_SESSION, MESSAGES], {"E010", "W004"}, id="site-subclass"),
        pytest.param([SESSION, MESSAGES], set(), id="not-listed-is-E009-only"),
    ],
)
def test_middleware_must_come_after_session_and_messages(
    settings: Any, listed: list[str], expected: set[str]
) -> None:
    others = [m for m in settings.MIDDLEWARE if m not in (SESSION, MESSAGES, MIDDLEWARE)]
    settings.MIDDLEWARE = [*others, *listed]

    problems = [p for p in check_environment() if p.id in ORDER_IDS]

    assert ids(problems) == {f"tbits_accounts.{short}" for short in expected}
    for problem in problems:
        # The fix, named: move the portal's line after both.
        assert problem.hint.startswith(f"Move {MIDDLEWARE!r} after {SESSION!r} and {MESSAGES!r}")
        # A crash is an error; a notice the fan misses is a warning.
        assert problem.is_serious() is (problem.id != "tbits_accounts.W004")


# -- W005: a cache every process shares (check --deploy) ---------------------------------


def deploy_ids() -> set[str]:
    return ids(run_checks(include_deployment_checks=True))


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_check_deploy_warns_of_a_process_local_cache(settings: Any, backend: str) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "/tmp/tbits-w005"}}
    assert "tbits_accounts.W005" in deploy_ids()
    # Only with --deploy: a plain `check` (runserver, migrate, the tests) stays quiet.
    assert "tbits_accounts.W005" not in ids(run_checks())


def test_a_subclass_of_local_memory_is_still_local(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.SiteLocMem"}}
    assert "tbits_accounts.W005" in deploy_ids()


def test_the_portal_cache_alias_is_checked_too(settings: Any) -> None:
    settings.DEBUG = False
    settings.CACHES = {
        "default": {"BACKEND": "accounts.cache_backend.DegradingRedisCache"},
        "portal": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.TBITS = {**settings.TBITS, "CACHE_ALIAS": "portal"}
    messages = [m for m in _deploy_messages() if m.id == "tbits_accounts.W005"]
    assert len(messages) == 1 and "'portal' (LocMemCache)" in messages[0].msg


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        (True, "django.core.cache.backends.locmem.LocMemCache"),
        (False, "django.core.cache.backends.redis.RedisCache"),
        (False, "accounts.cache_backend.DegradingRedisCache"),
        (False, "django.core.cache.backends.db.DatabaseCache"),
        (False, "django.core.cache.backends.memcached.PyMemcacheCache"),
    ],
)
def test_no_warning_in_development_or_with_a_shared_cache(
    settings: Any, debug: bool, backend: str
) -> None:
    settings.DEBUG = debug
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "redis://127.0.0.1:6379/9"}}
    assert "tbits_accounts.W005" not in ids(_deploy_messages())


def _deploy_messages() -> list[Any]:
    return check_shared_cache()


class SiteLocMem(LocMemCache):
    """A site's own subclass of the local-memory cache: still local to its process."""
