"""Offline passes, server side: whose page it is, what the worker may keep, its script."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from accounts.fan import login_fan
from loyalty.offline import KEEP_HEADER, SCOPE_HEADER, SCOPE_SESSION_KEY

pytestmark = pytest.mark.django_db

WALLET = "/portal/rewards/"
MARK = " data-tb-offline hidden"


def test_the_wallet_is_kept_for_its_fan_alone(sandbox_api, fan_client):
    response = fan_client.get(WALLET)
    scope = fan_client.session[SCOPE_SESSION_KEY]
    assert response[SCOPE_HEADER] == scope
    assert response[KEEP_HEADER] == "keep"
    # Opaque and not the session id: a cache named after it says nothing to anyone else.
    assert len(scope) >= 20
    assert scope != fan_client.session.session_key
    assert scope not in str(fan_client.cookies)
    # The copy says when it was made, hidden until the worker serves it offline.
    page = response.content.decode()
    assert page.count(MARK) == 1
    assert re.search(r"You\u2019re offline: as of \d\d:\d\d", page)


def test_other_fan_pages_name_the_fan_but_are_not_kept(sandbox_api, fan_client):
    for name in ("dashboard", "quests", "leaderboard", "history"):
        response = fan_client.get(reverse(f"tbits_loyalty:{name}"))
        assert response[SCOPE_HEADER] == fan_client.session[SCOPE_SESSION_KEY], name
        assert not response.has_header(KEEP_HEADER), name


def test_a_visitor_page_tells_the_worker_there_is_no_fan(sandbox_api, client):
    response = client.get(reverse("tbits_loyalty:programme"))
    assert response[SCOPE_HEADER] == "none"
    assert not response.has_header(KEEP_HEADER)
    # A visitor's page does not register the worker.
    assert "data-worker=" not in response.content.decode()


def test_the_pass_sheet_says_as_of_too(sandbox_api, fan_client, settings):
    from tbits_sandbox import delivery
    from tbits_sandbox.models import Fan, FanReward, Reward

    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = False
    reward = Reward.objects.get(reward_title="Silver pass")
    delivery.deliver(reward, Fan.objects.get(fan_id=501), source="manual")
    FanReward.objects.filter(reward=reward).update(pass_code="PASS-0042")
    page = fan_client.get(WALLET).content.decode()
    sheet = page[page.index('class="tb-pass__sheet"') :]
    sheet = sheet[: sheet.index("tb-pass__actions")]
    assert MARK in sheet and "tb-qr" in sheet


def _request_with_session() -> object:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    return request


def test_each_login_gets_a_new_scope_even_in_the_same_session(sandbox_api):
    request = _request_with_session()
    login_fan(request, session_uid="a", fan_id=501, expires_at=None)
    first = request.session[SCOPE_SESSION_KEY]
    # Another fan logs in on the same browser without logging out: cycle_key keeps data.
    login_fan(request, session_uid="b", fan_id=777, expires_at=None)
    assert request.session[SCOPE_SESSION_KEY] != first


def test_the_scope_leaves_with_the_fan_at_logout(sandbox_api, fan_client):
    fan_client.get(WALLET)
    assert SCOPE_SESSION_KEY in fan_client.session
    fan_client.post(reverse("tbits_accounts:logout"))
    assert SCOPE_SESSION_KEY not in fan_client.session


def test_the_worker_script_covers_the_portal_and_the_login_page(client):
    response = client.get(reverse("tbits_loyalty:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});", script).group(1))
    assert config == {
        "scope": "/",
        "portal": "/portal/",
        "login": "/accounts/login/",
        "logout": "/accounts/logout/",
        "static": "/static/",
    }
    # It keeps only what a fan's page marks, and never answers a POST.
    assert '"Tbits-Offline") === "keep"' in script
    assert 'request.method !== "GET"' in script
    assert "&#x27;" not in script and "&quot;" not in script  # not HTML-escaped


def test_a_fan_page_registers_the_worker_and_names_the_manifest(sandbox_api, fan_client):
    page = fan_client.get(reverse("tbits_loyalty:dashboard")).content.decode()
    assert 'data-worker="/portal/service-worker.js" data-worker-scope="/"' in page
    assert '<link rel="manifest" href="/portal/manifest.webmanifest">' in page


def test_the_manifest_wears_the_club_from_the_shared_cache_without_a_call(
    sandbox_api, fan_client, client
):
    empty = client.get(reverse("tbits_loyalty:manifest"))
    assert empty.json()["name"] == "Fan portal"
    fan_client.get(reverse("tbits_loyalty:dashboard"))  # the catalogue into the shared cache
    sandbox_api.reset_calls()
    manifest = client.get(reverse("tbits_loyalty:manifest")).json()
    assert sandbox_api.paths() == []
    assert manifest["start_url"] == "/portal/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] != "Fan portal"


def test_the_csp_names_this_origin_for_the_worker_and_the_manifest(sandbox_api, fan_client):
    policy = fan_client.get(WALLET)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]


def test_the_manifest_icon_and_the_worker_use_the_static_files_path(client, settings):
    settings.STATIC_URL = "https://cdn.example/assets/"
    script = client.get(reverse("tbits_loyalty:service_worker")).content.decode()
    assert '"static": "/assets/"' in script
    icon = client.get(reverse("tbits_loyalty:manifest")).json()["icons"][0]["src"]
    assert icon == "https://cdn.example/assets/tbits_accounts/favicon.svg"


def test_the_offline_note_is_in_the_fans_language(sandbox_api, fan_client):
    fan_client.cookies["django_language"] = "fr"
    page = fan_client.get(WALLET).content.decode()
    assert re.search(r"Vous êtes hors ligne : état à \d\d:\d\d", page)
