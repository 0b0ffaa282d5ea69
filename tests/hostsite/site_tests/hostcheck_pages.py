"""Every portal page inside the club's layout, against the live sandbox, under /fans/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from loyalty.scan import scan_token
from tests.hostsite.site_tests.conftest import CLUB_PASSWORD, CLUB_USER

MAIN = re.compile(r'<main id="club-main">(?P<main>.*)</main>', re.S)


def in_club_layout(response: Any, *, portal_marker: str) -> str:
    """Assert the page is the club's layout with the portal's content in its main area."""
    assert response.status_code == 200, response.content.decode()[:3000]
    html = response.content.decode()
    assert '<header id="club-header">' in html  # the host's base.html
    assert "Harbour City Club, since 1887" in html  # the host's context processor
    assert 'data-section="fans"' in html  # the host's middleware, seen by its template
    assert response["X-Club-Section"] == "fans"
    assert '<footer id="club-footer">' in html
    assert "· Harbour City Club fans</title>" in html  # the one override's title
    main = MAIN.search(html)
    assert main and portal_marker in main.group("main"), html[:3000]
    assert django_settings.TBITS["API_SECRET"] not in html
    return html


def test_every_fan_page_renders_inside_the_club_layout(fan: Any, live_sandbox: Any) -> None:
    wristband = live_sandbox.quests["Link your wristband"]
    scan = live_sandbox.quests["Check in at the stadium"]
    pages = {
        "tbits_loyalty:dashboard": reverse("tbits_loyalty:dashboard"),
        "tbits_loyalty:quests": reverse("tbits_loyalty:quests"),
        "tbits_loyalty:wallet": reverse("tbits_loyalty:wallet"),
        "tbits_loyalty:leaderboard": reverse("tbits_loyalty:leaderboard"),
        "tbits_loyalty:history": reverse("tbits_loyalty:history"),
        "tbits_loyalty:business": reverse("tbits_loyalty:business"),
        "tbits_loyalty:wristband": reverse("tbits_loyalty:wristband", args=[wristband]),
    }
    for name, url in pages.items():
        assert url.startswith("/fans/"), name
        html = in_club_layout(fan.get(url), portal_marker='class="tb-portal"')
        assert 'href="/fans/quests/"' in html, name  # the portal's nav, under the prefix
    # A scan link outside its event's window is a 404 page, still in the club's layout.
    scan_page = fan.get(reverse("tbits_loyalty:scan", args=[scan_token(scan)]))
    assert scan_page.status_code in (200, 404)
    assert '<header id="club-header">' in scan_page.content.decode()
    in_club_layout(fan.get(reverse("tbits_accounts:profile")), portal_marker="tbits-accounts")


def test_login_pages_render_inside_the_club_layout(client: Any, live_sandbox: Any) -> None:
    in_club_layout(client.get(reverse("tbits_accounts:login")), portal_marker="tbits-accounts")
    in_club_layout(client.get(reverse("tbits_accounts:password")), portal_marker="tbits-accounts")
    email = "new-member@example.com"
    response = client.post(reverse("tbits_accounts:login"), {"contact": email})
    assert response["Location"] == reverse("tbits_accounts:code") == "/fans/account/login/code/"
    in_club_layout(client.get(response["Location"]), portal_marker="tbits-accounts")
    response = client.post(
        reverse("tbits_accounts:code"), {"code": live_sandbox.latest_code(email)}
    )
    assert response["Location"] == reverse("tbits_accounts:register")
    in_club_layout(client.get(response["Location"]), portal_marker="tbits-accounts")


def test_anonymous_visitors_are_sent_to_the_right_login(client: Any, db: Any) -> None:
    portal = client.get(reverse("tbits_loyalty:wallet"))
    assert portal["Location"] == "/fans/account/login/?next=%2Ffans%2Frewards%2F"
    site = client.get(reverse("profile"))
    assert site["Location"] == "/login/?next=/profile/"


def test_fan_login_keeps_the_site_member_logged_in(
    client: Any, live_sandbox: Any, site_user: Any
) -> None:
    response = client.post(reverse("login"), {"username": CLUB_USER, "password": CLUB_PASSWORD})
    assert response["Location"] == "/profile/"
    response = client.post(
        reverse("tbits_accounts:password"),
        {"contact": live_sandbox.fan_email, "password": live_sandbox.fan_password},
    )
    assert response["Location"] == "/fans/"
    profile = client.get(reverse("profile"))  # the club's own page, still logged in
    assert profile.status_code == 200
    html = profile.content.decode()
    assert "HC-0001" in html
    # The club's header shows the fan's points through the portal's template tag.
    assert 'class="tbits-points-badge"' in html and 'href="/fans/"' in html
    assert "Log in with Tradable Bits" not in html


def test_club_pages_show_the_fan_corner(client: Any, live_sandbox: Any, fan: Any) -> None:
    html = fan.get(reverse("home")).content.decode()
    corner = html.split('id="club-fan-corner"', 1)[1]
    assert 'class="tbits-tier"' in corner
    assert 'href="/fans/quests/#quest-' in corner


def test_anonymous_club_page_offers_the_fan_login(client: Any, live_sandbox: Any) -> None:
    html = client.get(reverse("home")).content.decode()
    assert "Log in with Tradable Bits" in html
    assert 'action="/fans/account/oauth/start/"' in html  # OAuth is configured
    assert 'class="tbits-points-badge"' not in html


def test_completing_a_quest_and_logging_out_stay_under_the_prefix(
    fan: Any, live_sandbox: Any
) -> None:
    lounge = live_sandbox.quests["Members' lounge tour"]
    response = fan.post(reverse("tbits_loyalty:complete", args=[lounge]))
    assert response["Location"] == "/fans/quests/#tbits-messages"
    board = fan.get("/fans/quests/").content.decode()
    assert "club-messages" in board  # the portal's message, shown by the club's layout
    response = fan.post(reverse("tbits_accounts:logout"))
    assert response["Location"] == "/fans/account/login/"


@pytest.mark.parametrize(("status", "heading"), [(503, "trouble"), (429, "try again")])
def test_error_pages_render_inside_the_club_layout(
    fan: Any, live_sandbox: Any, settings: Any, status: int, heading: str
) -> None:
    from django.core.cache import cache

    settings.TBITS = {**settings.TBITS, "API_MAX_RETRIES": 0}
    settings.TBITS_SANDBOX_FAULTS = f"api/v1/businesses$={status}"
    cache.clear()  # a cold cache: the page has no copy to fall back on
    response = fan.get(reverse("tbits_loyalty:dashboard"))
    assert response.status_code == status, response.content.decode()[:2000]
    html = response.content.decode()
    assert '<header id="club-header">' in html and '<footer id="club-footer">' in html
    assert heading in html.lower()


def test_the_club_admin_works_next_to_the_portal(admin_client: Any) -> None:
    index = admin_client.get("/admin/")
    assert index.status_code == 200
    assert "Memberships" in index.content.decode()
    assert admin_client.get("/admin/users/membership/").status_code == 200


def test_oauth_from_the_club_header_comes_back_under_the_prefix(
    client: Any, live_sandbox: Any
) -> None:
    from urllib.parse import parse_qs, urlsplit

    from accounts.fan import SESSION_KEY

    home = client.get(reverse("home")).content.decode()
    form = re.search(r'<form class="tbits-login-button" method="post" action="([^"]+)">', home)
    assert form and form[1] == "/fans/account/oauth/start/"
    start = client.post(form[1], {"next": "/"})
    provider = urlsplit(start["Location"])
    params = {key: values[0] for key, values in parse_qs(provider.query).items()}
    assert urlsplit(params["redirect_url"]).path.startswith("/fans/account/oauth/callback/")
    # Play the provider's sign-in page (the sandbox's, same test client).
    email = live_sandbox.fan_email
    page = client.post(provider.path, {**params, "step": "email", "email": email})
    request_uid = re.search(r'name="request_uid" value="([^"]+)"', page.content.decode())[1]
    response = client.post(
        provider.path,
        {
            **params,
            "step": "code",
            "email": email,
            "request_uid": request_uid,
            "verification_code": live_sandbox.latest_code(email),
        },
    )
    back = urlsplit(response["Location"])
    assert back.path.startswith("/fans/account/oauth/callback/")
    final = client.get(f"{back.path}?{back.query}")
    assert final["Location"] == "/"  # the club page the button was on
    assert client.session[SESSION_KEY]["fan_id"] == live_sandbox.fan_id
