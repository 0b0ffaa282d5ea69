"""The template tags a host site puts in its own pages.

Against the live sandbox for what a fan sees; with ``responses`` (and no route at all) to
prove that anonymous visitors cost no API call and that a failing API breaks no page.
"""

from __future__ import annotations

import time
from typing import Any

import responses
from django.contrib.sessions.backends.cache import SessionStore
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.fan import SESSION_KEY, FanSession

ALL_TAGS = (
    "{% load tbits_loyalty tbits_accounts %}"
    "[{% tbits_points_badge %}][{% tbits_tier %}][{% tbits_quest_list %}]"
    "[{% tbits_login_button %}]"
)


def page_request(*, fan_id: int | None, path: str = "/news/?page=2") -> Any:
    """A host site's request: a session, and ``request.fan`` as TbitsMiddleware sets it."""
    request = RequestFactory().get(path)
    request.session = SessionStore()
    request.fan = None
    if fan_id is not None:
        now = time.time()
        request.session[SESSION_KEY] = {
            "session_uid": "tag-test-session",
            "fan_id": fan_id,
            "expires_at": None,
            "logged_in_at": now,
            "last_seen": now,
        }
        request.fan = FanSession(session_uid="tag-test-session", fan_id=fan_id, expires_at=None)
    return request


def render(source: str, request: Any) -> str:
    return Template(source).render(RequestContext(request, {}))


def sandbox_standing(live_sandbox: Any) -> tuple[int, str, str | None]:
    """The demo fan's balance, the point name and the tier they reached, from the sandbox."""
    from tbits_sandbox.models import FanPoint, PointTypeRecord, Tier

    point_type = PointTypeRecord.objects.get(point_uid=live_sandbox.point_uid)
    total = sum(
        FanPoint.objects.filter(
            fan_id=live_sandbox.fan_id, point_type_record=point_type
        ).values_list("point_count", flat=True)
    )
    reached = (
        Tier.objects.filter(point_type=point_type, min_points__lte=total)
        .order_by("-min_points")
        .first()
    )
    return total, point_type.point_name, reached.tier_name if reached else None


def test_anonymous_visitor_sees_only_the_login_button_and_costs_no_call(db, settings):
    settings.TBITS = {**settings.TBITS, "API_BASE_URL": "https://api.tags.test/"}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        html = render(ALL_TAGS, page_request(fan_id=None))
        assert len(mock.calls) == 0
    assert html.startswith("[][][][")
    assert "Log in with Tradable Bits" in html


def test_fan_sees_balance_tier_and_quests_they_can_do(live_sandbox):
    total, point_name, tier = sandbox_standing(live_sandbox)
    request = page_request(fan_id=live_sandbox.fan_id)

    badge = render("{% load tbits_loyalty %}{% tbits_points_badge %}", request)
    assert f'href="{reverse("tbits_loyalty:dashboard")}"' in badge
    assert f"{total:,}" in badge and point_name in badge

    tier_html = render("{% load tbits_loyalty %}{% tbits_tier %}", request)
    assert (tier or "No tier yet") in tier_html

    quests = render("{% load tbits_loyalty %}{% tbits_quest_list limit=2 %}", request)
    board = reverse("tbits_loyalty:quests")
    links = [part.split('"')[0] for part in quests.split(f'href="{board}#quest-')[1:]]
    assert len(links) == 2
    assert all(int(quest_id) in live_sandbox.quests.values() for quest_id in links)
    assert f'href="{board}"' in quests  # "All quests"
    # The fan is logged in: no login button.
    assert render("{% load tbits_accounts %}{% tbits_login_button %}", request) == ""


def test_quest_list_leaves_out_what_the_fan_cannot_do_now(live_sandbox):
    from tbits_sandbox.models import Quest

    request = page_request(fan_id=live_sandbox.fan_id)
    html = render("{% load tbits_loyalty %}{% tbits_quest_list limit=50 %}", request)
    ended = Quest.objects.get(page_tab_id=live_sandbox.quests["Pre-season survey"])
    upcoming = Quest.objects.get(page_tab_id=live_sandbox.quests["Season finale watch party"])
    assert ended.quest_title not in html
    assert upcoming.quest_title not in html
    assert "Members&#x27; lounge tour" in html


def test_three_tags_on_one_page_cost_one_round_of_calls(live_sandbox):
    from accounts.api import get_client

    request = page_request(fan_id=live_sandbox.fan_id)
    client = get_client()
    counted: list[str] = []
    original = client._call  # type: ignore[attr-defined]

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        counted.append(name)
        return original(name, *args, **kwargs)

    client._call = counting  # type: ignore[attr-defined]
    try:
        render(ALL_TAGS, request)
        first = len(counted)
        render(ALL_TAGS, request)  # the same request: memoised, no call at all
        assert len(counted) == first
    finally:
        del client._call  # type: ignore[attr-defined]
    assert first > 0
    assert len(counted) == len(set(counted))  # nothing was asked twice


def test_api_down_renders_nothing_and_never_raises(db, settings, caplog):
    settings.TBITS = {
        **settings.TBITS,
        "API_BASE_URL": "https://api.tags.test/",
        "API_MAX_RETRIES": 0,
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, "https://api.tags.test/api/v1/businesses", status=503)
        html = render(ALL_TAGS, page_request(fan_id=4242))
    assert html == "[][][][]"
    assert "Loyalty template tag rendered nothing" in caplog.text
    assert "sandbox-api-secret" not in caplog.text


def test_login_button_posts_to_oauth_with_the_current_page_as_next(settings):
    settings.TBITS = {**settings.TBITS, "OAUTH_ENABLED": True}
    request = page_request(fan_id=None)
    request.META["CSRF_COOKIE"] = "x" * 32
    html = render("{% load tbits_accounts %}{% tbits_login_button %}", request)
    assert f'action="{reverse("tbits_accounts:oauth_start")}"' in html
    assert 'method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'name="next" value="/news/?page=2"' in html


def test_login_button_links_to_the_login_page_without_oauth(settings):
    settings.TBITS = {**settings.TBITS, "OAUTH_ENABLED": False}
    html = render(
        '{% load tbits_accounts %}{% tbits_login_button next_url="/club/" %}',
        page_request(fan_id=None),
    )
    assert f'href="{reverse("tbits_accounts:login")}?next=%2Fclub%2F"' in html
    assert "<form" not in html


def test_tags_without_a_request_in_the_context_render_nothing_but_the_button():
    html = Template(ALL_TAGS).render(Context({}))
    assert html.startswith("[][][][")
    assert reverse("tbits_accounts:login") in html
