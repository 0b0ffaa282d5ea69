"""Nothing of the portal collides with the club site's own names.

Tables, template names, URL names, session keys, cache keys, static paths and template
tag libraries: the portal's are all under its own prefixes, and the club's stay the club's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.checks import run_checks
from django.db import connection
from django.template.loader import get_template
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.hostsite.site_tests.conftest import CLUB_PASSWORD, CLUB_USER

PORTAL_APPS = ("tbits_accounts", "tbits_loyalty")
# Test infrastructure, not part of the site: the API the portal talks to.
NOT_THE_SITE = ("tbits_sandbox",)
HERE = Path(__file__).resolve().parents[1]


def site_app_configs() -> list[Any]:
    return [
        config
        for config in apps.get_app_configs()
        if config.label not in PORTAL_APPS + NOT_THE_SITE
    ]


def portal_app_configs() -> list[Any]:
    return [apps.get_app_config(label) for label in PORTAL_APPS]


# --- URLs -------------------------------------------------------------------------------


def _sample_kwargs(pattern: URLPattern) -> dict[str, Any]:
    converters = getattr(pattern.pattern, "converters", {})
    return {
        name: 7 if type(converter).__name__ == "IntConverter" else "sample"
        for name, converter in converters.items()
    }


def portal_url_names() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for namespace in PORTAL_APPS:
        resolver = next(
            entry
            for entry in get_resolver().url_patterns
            if isinstance(entry, URLResolver) and entry.namespace == namespace
        )
        for pattern in resolver.url_patterns:
            assert isinstance(pattern, URLPattern) and pattern.name, pattern
            found.append((f"{namespace}:{pattern.name}", _sample_kwargs(pattern)))
    return found


def test_every_portal_url_reverses_under_fans_and_resolves_back() -> None:
    names = portal_url_names()
    assert len(names) >= 20
    for name, kwargs in names:
        url = reverse(name, kwargs=kwargs)
        assert url.startswith("/fans/"), (name, url)
        assert resolve(url).view_name == name


def test_the_club_keeps_its_own_url_names() -> None:
    assert reverse("login") == "/login/"
    assert reverse("profile") == "/profile/"
    assert reverse("logout") == "/logout/"
    assert reverse("home") == "/"
    assert reverse("admin:index") == "/admin/"
    assert reverse("tbits_accounts:login") == "/fans/account/login/"
    assert reverse("tbits_accounts:profile") == "/fans/account/profile/"
    # The portal adds no name outside its namespaces.
    top_level = {p.name for p in get_resolver().url_patterns if isinstance(p, URLPattern)}
    assert top_level == {"home", "login", "logout", "profile"}


# --- Tables -----------------------------------------------------------------------------


def tables_of(configs: list[Any]) -> set[str]:
    found = set()
    for config in configs:
        for model in config.get_models(include_auto_created=True):
            found.add(model._meta.db_table)
    return found


@pytest.mark.django_db
def test_portal_tables_are_its_own() -> None:
    portal = tables_of(portal_app_configs())
    site = tables_of(site_app_configs())
    assert portal == {
        "tbits_loyalty_rewardfeedcursor",
        "tbits_loyalty_rewarddelivery",
        "tbits_loyalty_leaderboardname",
    }
    assert all(name.startswith("tbits_") for name in portal)
    assert not portal & site
    assert {"auth_user", "users_membership", "django_session"} <= site
    existing = set(connection.introspection.table_names())
    assert portal | site <= existing


# --- Templates --------------------------------------------------------------------------


def template_names(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_portal_templates_are_its_own_and_the_one_override_wins() -> None:
    portal = set().union(
        *(template_names(Path(c.path) / "templates") for c in portal_app_configs())
    )
    site = template_names(HERE / "templates").union(
        *(template_names(Path(c.path) / "templates") for c in site_app_configs())
    )
    assert portal and all(name.startswith(("tbits_accounts/", "tbits_loyalty/")) for name in portal)
    # The only shared name is the override, on purpose; the portal ships no base.html.
    assert portal & site == {"tbits_accounts/base.html"}
    assert "base.html" not in portal
    override = Path(get_template("tbits_accounts/base.html").origin.name)
    assert override == HERE / "templates" / "tbits_accounts" / "base.html"
    assert Path(get_template("base.html").origin.name) == HERE / "templates" / "base.html"
    # The admin's and the club's own templates are untouched by the portal.
    assert "admin/base.html" not in portal and "users/login.html" not in portal


# --- Static files -----------------------------------------------------------------------


def static_paths() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            owners.setdefault(path, set()).add(str(storage.location))
    return owners


def test_portal_static_paths_are_its_own() -> None:
    owners = static_paths()
    portal_roots = {str(Path(c.path) / "static") for c in portal_app_configs()}
    portal = {path for path, where in owners.items() if where & portal_roots}
    assert portal, "the portal ships its CSS and JavaScript"
    assert all(path.startswith(("tbits_accounts/", "tbits_loyalty/")) for path in portal)
    clashing = {path: where for path, where in owners.items() if len(where) > 1}
    assert clashing == {}
    assert "users/club.css" in owners


# --- Template tag libraries and system checks ------------------------------------------


def test_no_template_tag_library_name_is_used_twice() -> None:
    seen: dict[str, str] = {}
    for config in apps.get_app_configs():
        folder = Path(config.path) / "templatetags"
        for module in folder.glob("*.py") if folder.is_dir() else ():
            if module.stem == "__init__":
                continue
            assert module.stem not in seen, (module.stem, seen[module.stem], config.label)
            seen[module.stem] = config.label
    assert {"tbits_loyalty", "tbits_accounts", "club_tags"} <= set(seen)


def test_the_site_passes_every_system_check() -> None:
    assert run_checks(include_deployment_checks=False) == []


# --- Session and cache keys -------------------------------------------------------------


DJANGO_SESSION_KEYS = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash", "_messages"}


def test_session_and_cache_keys_of_a_member_who_is_also_a_fan(
    client: Any, live_sandbox: Any, site_user: Any
) -> None:
    # The club's own session use: a member logs in and opens their profile.
    client.post(reverse("login"), {"username": CLUB_USER, "password": CLUB_PASSWORD})
    client.get(reverse("profile"))
    # The portal's: the fan logs in by code, opens every page, sees the wallet.
    client.post(reverse("tbits_accounts:login"), {"contact": live_sandbox.fan_email})
    client.post(
        reverse("tbits_accounts:code"), {"code": live_sandbox.latest_code(live_sandbox.fan_email)}
    )
    for name in ("dashboard", "quests", "wallet", "leaderboard", "history", "business"):
        assert client.get(reverse(f"tbits_loyalty:{name}")).status_code == 200, name
    client.post(reverse("tbits_loyalty:business"), {"business_id": live_sandbox.business_id})
    client.get(reverse("profile"))

    keys = set(client.session.keys())
    club = {"users.profile_views"}
    assert club <= keys and {"_auth_user_id"} <= keys
    portal = keys - club - DJANGO_SESSION_KEYS
    assert portal, keys
    assert all(key.startswith(("tbits_accounts.", "tbits_loyalty.")) for key in portal), keys
    assert client.session["users.profile_views"] == 2  # the fan's login kept the club's data

    cached = {key.split(":", 2)[2] for key in cache._cache}  # locmem: ":<version>:<key>"
    assert "club:notice" in cached
    portal_keys = cached - {"club:notice"}
    assert portal_keys
    prefixes = ("tbits_accounts:", "tbits_loyalty:", "tbits:")
    assert all(key.startswith(prefixes) for key in portal_keys), portal_keys


# --- The poller in the club's database -------------------------------------------------


def test_reward_poller_runs_in_the_club_database(live_sandbox: Any) -> None:
    from django.core.management import call_command

    from loyalty.models import RewardDelivery

    call_command("tbits_poll_rewards", verbosity=0)
    assert RewardDelivery.objects.filter(fan_id=str(live_sandbox.fan_id)).exists()
