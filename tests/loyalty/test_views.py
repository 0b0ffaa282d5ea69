"""The portal's pages through Django's test client, on the sandbox seeded with a small board."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from loyalty.scan import scan_token
from tests import fan_login
from tests.loyalty.sandbox_api import LOGO_UID, PERFORMANCE_UID, SECRET, SESSION_UID

pytestmark = pytest.mark.django_db

BOARD = reverse("tbits_loyalty:quests")


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def section(page: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by ``heading_id``."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    end = page.find("</section>", start)
    return page[start:end]


def flashed(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- dashboard --------------------------------------------------------------------------


def test_dashboard_shows_balance_tier_progress_and_quickest_quests(fan_client, sandbox_api):
    page = text(fan_client.get(reverse("tbits_loyalty:dashboard")))
    assert "Harbour FC" in page
    assert '<span class="tb-balance__value">80</span>' in page
    assert "No tier yet" in page
    assert "20 points to Bronze" in page
    assert 'value="80"' in page  # 80 of the 100 points to Bronze
    quickest = section(page, "next-heading")
    assert "Quickest way to Bronze" in quickest
    assert "Link wristband" in quickest  # one quest that crosses the threshold alone
    assert "Cup final is on now" in page
    assert "Complete quests to earn your first reward." in page


def test_dashboard_banner_for_rewards_arrived_since_last_look(fan_client, sandbox_api):
    sandbox_api.award(40)  # 120 points: the Bronze badge is delivered
    page = text(fan_client.get(reverse("tbits_loyalty:dashboard")))
    assert "You have a new reward" in page
    assert "Bronze badge" in section(page, "recent-heading")
    fan_client.get(reverse("tbits_loyalty:wallet"))
    assert "You have a new reward" not in text(fan_client.get(reverse("tbits_loyalty:dashboard")))


def test_wallet_with_nothing_new_leaves_the_seen_mark_and_the_session_alone(
    fan_client, sandbox_api, settings
):
    from loyalty.views import REWARDS_SEEN_KEY

    sandbox_api.award(40)  # 120 points: the Bronze badge is delivered
    fan_client.get(reverse("tbits_loyalty:wallet"))  # shows the new badge: the mark moves
    seen = fan_client.session[REWARDS_SEEN_KEY]
    again = fan_client.get(reverse("tbits_loyalty:wallet"))
    assert again.status_code == 200
    # Nothing new on the page: no session write (no cookie set again), the mark unchanged.
    assert settings.SESSION_COOKIE_NAME not in again.cookies
    assert fan_client.session[REWARDS_SEEN_KEY] == seen
    assert "You have a new reward" not in text(fan_client.get(reverse("tbits_loyalty:dashboard")))


def test_anonymous_fan_is_sent_to_login(client, db, sandbox_api):
    for name in ("dashboard", "quests", "wallet", "leaderboard", "history", "business"):
        response = client.get(reverse(f"tbits_loyalty:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("tbits_accounts:login") + "?next=")
    assert sandbox_api.paths() == []


def test_dashboard_recommends_only_quests_the_fan_can_do_from_here(fan_client, sandbox_api):
    # The live event's gate scan (150) is worth most, but needs the venue's code; the match
    # poll is a campaign with no address (no CAMPAIGN_URL, no link): neither is a next step.
    page = text(fan_client.get(reverse("tbits_loyalty:dashboard")))
    quickest = section(page, "next-heading")
    assert "Link wristband" in quickest  # 20 points to Bronze: one quest gets there
    assert "Gate scan" not in quickest and "Match poll" not in quickest


# --- quest board ------------------------------------------------------------------------


def test_board_groups_quests_with_reasons_and_hides_tag_and_ended(fan_client, sandbox_api):
    page = text(fan_client.get(BOARD))
    live = section(page, f"event-{PERFORMANCE_UID}-heading")
    assert "On now" in live and "Cup final" in live
    assert live.index("Gate scan") < live.index("Link wristband")  # more points first
    available = section(page, "available-heading")
    assert "Follow us" in available and "Visit the site" in available
    locked = section(page, "locked-heading")
    assert "Complete \u2018Follow us\u2019 and \u2018Visit the site\u2019 first" in locked
    assert "Reach Silver \u2014 420 points to go" in locked
    assert "Earn 220 more points" in locked
    assert "Next week" in section(page, "upcoming-heading")
    assert "VIP secret" not in page
    assert "Old quest" not in page
    # A campaign quest without a configured campaign URL explains rather than links.
    assert "You play this one on the team\u2019s campaign page, not here." in available


def test_board_shows_tag_quest_to_tagged_fan_only(fan_client, sandbox_api):
    sandbox_api.tag("VIP")
    assert "VIP secret" in text(fan_client.get(BOARD))


def test_campaign_quest_links_to_configured_campaign(fan_client, sandbox_api, settings):
    settings.TBITS = {
        **settings.TBITS,
        "CAMPAIGN_URL": "https://play.example/c/{target_page_tab_id}",
    }
    assert 'href="https://play.example/c/9999"' in text(fan_client.get(BOARD))


# --- completing ---------------------------------------------------------------------------


def test_complete_custom_quest_shows_points_tier_and_reward(fan_client, sandbox_api):
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    assert response.status_code == 302
    assert response["Location"] == BOARD + "#tbits-messages"
    [message] = flashed(response)
    assert "Quest complete: Follow us." in message
    assert "You earned 50 points." in message
    assert "You reached Bronze!" in message
    assert "Bronze badge" in message
    page = text(fan_client.get(BOARD))
    assert '<span class="tb-balance__value">130</span>' in page
    assert "Follow us" in section(page, "completed-heading")


def test_double_submit_completes_once(fan_client, sandbox_api):
    url = reverse("tbits_loyalty:complete", args=[1])
    fan_client.post(url)
    second = fan_client.post(url)
    assert second.status_code == 302
    assert flashed(second)[-1] == "You have already completed this quest."
    assert sandbox_api.count("/quests/1/fans/501/complete") == 1
    assert sandbox_api.points == 130


def test_concurrent_submit_is_held_off_by_the_lock(fan_client, sandbox_api):
    from accounts.app_settings import app_settings

    app_settings.cache().add("tbits_loyalty:v1:completing:2002:501:1", 1, 30)
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    assert flashed(response) == ["We are already recording this quest for you."]
    assert sandbox_api.count("/complete") == sandbox_api.count("/quests/fans/501/complete")


def test_complete_needs_post(fan_client, sandbox_api):
    assert fan_client.get(reverse("tbits_loyalty:complete", args=[1])).status_code == 405


def test_locked_quest_is_not_completed_and_says_why(fan_client, sandbox_api):
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[4]))
    assert flashed(response) == ["Reach Silver \u2014 420 points to go"]
    assert sandbox_api.count("/quests/4/fans/501/complete") == 0


@pytest.mark.parametrize("quest_id", [2, 7, 8, 9])
def test_complete_button_cannot_complete_other_types(fan_client, sandbox_api, quest_id):
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[quest_id]))
    assert flashed(response) == ["This quest is completed another way."]
    assert sandbox_api.count(f"/quests/{quest_id}/fans/501/complete") == 0


@pytest.mark.parametrize("quest_id", [6, 404, 10])
def test_hidden_unknown_or_ended_quest(fan_client, sandbox_api, quest_id):
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[quest_id]))
    if quest_id == 10:
        assert flashed(response) == ["This quest has ended."]
    else:
        assert response.status_code == 404
    assert sandbox_api.count(f"/quests/{quest_id}/fans/501/complete") == 0


def test_completing_prerequisites_unlocks_the_chained_quest(fan_client, sandbox_api):
    assert "Superfan chat" in section(text(fan_client.get(BOARD)), "locked-heading")
    fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    page = text(fan_client.get(BOARD))
    assert "Complete \u2018Visit the site\u2019 first" in page
    fan_client.post(reverse("tbits_loyalty:visit", args=[2]))
    page = text(fan_client.get(BOARD))
    assert "Superfan chat" in section(page, "available-heading")


def test_link_quest_completes_then_goes_only_to_its_own_url(fan_client, sandbox_api):
    response = fan_client.post(
        reverse("tbits_loyalty:visit", args=[2]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "https://club.example/news"
    assert response["Referrer-Policy"] == "no-referrer"
    assert 2 in sandbox_api.completed


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "//evil.example/", "/portal/", "https:\\\\evil.example", ""]
)
def test_link_quest_with_unsafe_url_is_refused(fan_client, sandbox_api, link):
    sandbox_api.update_quest(2, link_url=link)
    response = fan_client.post(reverse("tbits_loyalty:visit", args=[2]))
    assert response.status_code == 404
    assert 2 not in sandbox_api.completed


def test_visit_refuses_non_link_quests(fan_client, sandbox_api):
    assert fan_client.post(reverse("tbits_loyalty:visit", args=[1])).status_code == 404
    assert sandbox_api.completed == set()


def test_scan_page_confirms_then_completes(fan_client, sandbox_api):
    url = reverse("tbits_loyalty:scan", args=[scan_token(7)])
    page = text(fan_client.get(url))
    assert "Gate scan" in page and "Check in now" in page
    assert 7 not in sandbox_api.completed  # a GET never completes
    response = fan_client.post(url)
    assert response["Location"] == BOARD + "#tbits-messages"
    assert 7 in sandbox_api.completed


# Made in the test, not at collection: a signed token carries its time, and pytest-xdist's
# workers must collect the same test ids.
@pytest.mark.parametrize(
    "make_token", [lambda: "garbage", lambda: scan_token(1), lambda: scan_token(999)],
    ids=["garbage", "another-quest", "unknown-quest"],
)  # fmt: skip
def test_scan_with_bad_or_wrong_token(fan_client, sandbox_api, make_token):
    response = fan_client.post(reverse("tbits_loyalty:scan", args=[make_token()]))
    assert response.status_code == 404
    assert "This code is not valid here" in text(response)
    assert sandbox_api.completed == set()


def test_a_quest_that_can_never_open_is_off_the_board_and_its_code_does_not_complete(
    fan_client, sandbox_api
):
    # Its own dates now miss its performance's day: it can never open (difference 6). Like
    # an ended quest, a fan can do nothing with it: it is not shown, and its code is refused.
    title = "Gate scan"
    assert title in text(fan_client.get(reverse("tbits_loyalty:quests")))
    sandbox_api.update_quest(7, start_date=dt.date(2099, 1, 1))
    cache.clear()  # the catalogue as read a moment ago
    assert title not in text(fan_client.get(reverse("tbits_loyalty:quests")))
    url = reverse("tbits_loyalty:scan", args=[scan_token(7)])
    response = fan_client.get(url)
    assert response.status_code == 404 and "This code is not valid here" in text(response)
    fan_client.post(url)
    assert 7 not in sandbox_api.completed


def test_wristband_form_validates_registers_and_completes(client, sandbox_api):
    """The registration's ``email *`` is the address the fan logged in with.

    The documented fan record has no email (api-reference.txt, "Fetch current Fan Record"),
    so in the documented-only mode it can only come from the login.
    """
    fan_login.log_in(client, session_uid=SESSION_UID, fan_id=501, email="fan@example.com")
    fan_client = client
    url = reverse("tbits_loyalty:wristband", args=[8])
    assert 'autocomplete="off"' in text(fan_client.get(url))
    bad = fan_client.post(url, {"barcode": "<b>"})
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in text(bad)
    assert sandbox_api.registrations() == []
    response = fan_client.post(url, {"barcode": "ab 12-34 cd"})
    assert response["Location"] == BOARD + "#tbits-messages"
    [registration] = sandbox_api.registrations()
    assert registration["barcode"] == "AB12-34CD"
    assert registration["performance_uid"] == PERFORMANCE_UID
    assert registration["email"] == "fan@example.com"
    assert 8 in sandbox_api.completed


def test_difference_10_a_fan_who_signed_up_by_phone_links_a_wristband(fan_client, sandbox_api):
    """A phone-only fan's registration carries the phone, not an empty email.

    api-reference.txt, Crm Calls, "Create new Registration Record for a given Fan" lists
    ``phone`` beside ``email *``; "Create new Fan Record": "Either Email or Phone is
    required". A fan who signed up by phone has only the phone (the reading: the note of
    ``crm_fan_registration_create`` in docs/endpoints.md).
    """
    from tbits_sandbox.models import Fan

    Fan.objects.filter(fan_id=501).update(email="", phone="+15145550101")
    url = reverse("tbits_loyalty:wristband", args=[8])
    response = fan_client.post(url, {"barcode": "AB12-34CD"})
    assert response["Location"] == BOARD + "#tbits-messages"
    [registration] = sandbox_api.registrations()
    assert registration["phone"] == "+15145550101"
    assert registration["email"] == ""  # none was sent
    assert 8 in sandbox_api.completed


def test_wristband_page_for_other_quest_types_is_404(fan_client, sandbox_api):
    assert fan_client.get(reverse("tbits_loyalty:wristband", args=[1])).status_code == 404


# --- wallet -------------------------------------------------------------------------------


def create_claimed_first_five() -> None:
    """ "Limited scarf": a Gold badge for the first five fans, all five places taken."""
    from tbits_sandbox.models import Reward, Tier

    Reward.objects.create(
        business_id=2002,
        reward_type="badge",
        timezone="UTC",
        reward_title="Limited scarf",
        requirement_type="point_tier",
        point_tier=Tier.objects.get(tier_name="Gold"),
        expiration_timestamp=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        winner_selection_model="first",
        reward_limit=5,
        delivered_count=5,
    )


@pytest.mark.sandbox_full  # pass_code, prize_code and delivered_count: extra fields
def test_wallet_shows_pass_qr_prize_code_progress_and_unavailable(fan_client, sandbox_api):
    from tbits_sandbox.models import FanReward, Reward

    sandbox_api.award(410)
    sandbox_api.complete(1, 2)  # 600 points: Silver; the chain prize's quests done
    reward = {"business_id": 2002, "reward_type": "badge", "timezone": "UTC"}
    create_claimed_first_five()
    last_season = Reward.objects.create(
        **reward,
        reward_title="Last season",
        expiration_timestamp=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        winner_selection_model="all",
    )
    FanReward.objects.create(reward=last_season, fan_id=501, delivery_source="manual")
    page = text(fan_client.get(reverse("tbits_loyalty:wallet")))
    held = section(page, "held-heading")
    assert (
        "Silver pass" in held
        and 'class="tb-qr"' in held
        and "QR code of your pass Silver pass" in held
    )
    assert "Show this code at the entrance." in held
    silver = Reward.objects.get(reward_title="Silver pass").reward_uid
    pass_card = held[held.index(f'id="reward-{silver}"') :]
    pass_card = pass_card[: pass_card.index("</article>")]
    # One date a pass stops working: its window's end, not also the reward's expiry.
    assert "until" in pass_card and "Expires" not in pass_card
    assert "<details" in held and "PRIZE-7788" in held and "Single use" in held
    chain = Reward.objects.get(reward_title="Chain prize").reward_uid
    assert f'data-copy="reward-{chain}-code"' in held
    assert "Last season" in section(page, "expired-heading")
    assert "Limited scarf" in section(page, "expired-heading")
    assert "Thank you" in section(page, "special-heading")
    assert "You have earned every reward on offer." in section(page, "earn-heading")


def test_wallet_on_documented_answers_says_where_the_codes_are(fan_client, sandbox_api, settings):
    """Without the undocumented pass_code and prize_code, the card says where the code is.

    The reference prints no field of a fan's rewards (loyalty-portal-integration.txt, Runtime
    API Flow, "7. Get the fan's rewards"), and "Rewards are processed automatically by a
    background task. When a fan meets a reward's requirements, the system delivers the
    reward and optionally sends an SMS and/or email notification." Nor does it print a
    delivered count: a limited reward is not "All claimed" on a guess.
    """

    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True
    sandbox_api.award(410)
    sandbox_api.complete(1, 2)  # 600 points: Silver; the chain prize's quests done
    create_claimed_first_five()
    page = text(fan_client.get(reverse("tbits_loyalty:wallet")))
    held = section(page, "held-heading")
    assert (
        "Silver pass" in held and 'class="tb-qr"' not in held
    )  # the QR code's figure; icons are SVG too
    assert "Your pass code is not shown here: it is in the email or text message" in held
    assert "Your code is not shown here" in held and "PRIZE-7788" not in held
    assert "Limited scarf" in section(page, "earn-heading")
    assert "All claimed" not in page


def test_wallet_catalogue_progress_toward_rewards(fan_client, sandbox_api):
    page = text(fan_client.get(reverse("tbits_loyalty:wallet")))
    earn = section(page, "earn-heading")
    assert "Reach Bronze \u2014 20 points to go" in earn
    assert "0 of 2 quests done" in earn
    assert "No rewards yet" in section(page, "held-heading")


def test_board_says_all_done_only_when_nothing_at_all_is_open(fan_client, sandbox_api):
    from django.core.cache import caches

    from tbits_sandbox import completion
    from tbits_sandbox.models import Fan, Quest

    # Every open quest outside the event done: the live event's gate scan is still open.
    fan = Fan.objects.get(fan_id=501)
    for quest_id in (1, 2, 3, 5, 9):
        completion.complete_quest(
            quest=Quest.objects.get(page_tab_id=quest_id), fan=fan, ip_address=None
        )
    caches["default"].clear()
    page = text(fan_client.get(BOARD))
    assert "Gate scan" in section(page, f"event-{PERFORMANCE_UID}-heading")
    assert "Well played" not in page
    assert "Your open quests are listed under their event above." in section(
        page, "available-heading"
    )
    for quest_id in (7, 4, 8):  # the scan takes the fan to Silver, which unlocks 4 and 8
        completion.complete_quest(
            quest=Quest.objects.get(page_tab_id=quest_id), fan=fan, ip_address=None
        )
    caches["default"].clear()
    page = text(fan_client.get(BOARD))
    assert "You have done everything open to you. Well played!" in page


# --- leaderboard, history, business picker -------------------------------------------


def test_leaderboard_top_n_and_own_rank(fan_client, sandbox_api):
    from tbits_sandbox.models import Fan, FanPoint, PointTypeRecord

    # 39 fans ahead of fan 501's 80 points: "Fan 1" leads with 4,900. Their ids are given,
    # as 501's is: on PostgreSQL the id sequence, never rolled back, may have reached 501.
    point_type = PointTypeRecord.objects.get()
    for place in range(1, 40):
        ahead = Fan.objects.create(fan_id=900 + place, account_id=1001, display_name=f"Fan {place}")
        FanPoint.objects.create(
            fan=ahead, point_type_record=point_type, point_count=5000 - place * 100
        )
    page = text(fan_client.get(reverse("tbits_loyalty:leaderboard")))
    assert "You are number 40 with 80 points. 1,021 points to overtake #39." in page
    assert "Fan 10" in page and "Fan 11" not in page
    assert page.count('aria-current="true"') == 1


def test_leaderboard_row_uses_the_live_balance_right_after_a_completion(fan_client, sandbox_api):
    # The list is cached for minutes; the fan's own row must not lag behind the dashboard.
    url = reverse("tbits_loyalty:leaderboard")
    assert "with 80 points" in text(fan_client.get(url))
    fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    dashboard = text(fan_client.get(reverse("tbits_loyalty:dashboard")))
    assert '<span class="tb-balance__value">130</span>' in dashboard
    assert "You are number 1 with 130 points." in text(fan_client.get(url))


def test_history_entries_link_to_their_quest(fan_client, sandbox_api):
    fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    page = text(fan_client.get(reverse("tbits_loyalty:history")))
    assert f'href="{BOARD}#quest-1">Follow us</a>' in page
    assert "+50" in page


def test_history_names_reward_rows_and_dates_them_in_the_fans_locale(fan_client, sandbox_api):
    sandbox_api.award(40)  # 120 points: the Bronze badge is delivered (a zero-point row)
    page = text(fan_client.get(reverse("tbits_loyalty:history")))
    row = page[page.index("Reward: Bronze badge") :]
    row = row[: row.index("</li>")]
    assert "tb-day__points" not in row  # not a "0" point row
    assert re.search(r">\d{1,2}/\d{1,2}/\d{4}<", page) is None  # no US numeric dates
    french = text(fan_client.get(reverse("tbits_loyalty:history"), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Récompense : Bronze badge" in french


def test_business_picker_only_with_several_businesses(fan_client, sandbox_api):
    assert reverse("tbits_loyalty:business") not in text(fan_client.get(BOARD))
    sandbox_api.add_business(3003, "Harbour Women")
    from django.core.cache import caches

    caches["default"].clear()
    page = text(fan_client.get(BOARD))
    assert reverse("tbits_loyalty:business") in page
    assert (
        fan_client.post(reverse("tbits_loyalty:business"), {"business_id": "9999"}).status_code
        == 200
    )
    response = fan_client.post(reverse("tbits_loyalty:business"), {"business_id": "3003"})
    assert response.status_code == 302
    sandbox_api.reset_calls()
    page = text(fan_client.get(BOARD))
    assert "Harbour Women" in page
    assert sandbox_api.calls_to("GET /api/v1/ent/businesses/3003/quests") == 1


# --- branding and safety --------------------------------------------------------------


def test_branding_becomes_safe_css_variables(fan_client, sandbox_api):
    page = text(fan_client.get(BOARD))
    assert "--tb-primary:#ffd600;--tb-primary-text:#000000;" in page
    assert "evil" not in page
    assert f'src="https://api.loyalty.test/fb_media/{LOGO_UID}?height=96"' in page
    assert re.search(r'<style nonce="[^"]+">', page)


def test_no_page_contains_the_api_secret(fan_client, sandbox_api):
    sandbox_api.award(410)
    sandbox_api.complete(1, 2)
    urls = [
        reverse(f"tbits_loyalty:{name}")
        for name in ("dashboard", "quests", "wallet", "leaderboard", "history", "business")
    ]
    urls += [
        reverse("tbits_loyalty:scan", args=[scan_token(7)]),
        reverse("tbits_loyalty:wristband", args=[8]),
    ]
    for url in urls:
        response = fan_client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode()
        assert (
            response["Cache-Control"].startswith("private")
            or "no-cache" in response["Cache-Control"]
        )


def test_expired_fan_session_goes_back_to_login(client, db, sandbox_api):
    import time

    from accounts.fan import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = {
        "session_uid": "sess-old",
        "fan_id": 501,
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 60)),
        "logged_in_at": time.time() - 7200,
        "last_seen": time.time() - 60,
    }
    session.save()
    response = client.get(BOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("tbits_accounts:login"))
    assert sandbox_api.paths() == []


def test_a_long_section_shows_its_first_cards_and_a_link_to_all(
    fan_client, sandbox_api, monkeypatch
):
    monkeypatch.setattr("loyalty.presentation.BOARD_SECTION_SIZES", {"available": 2})
    page = text(fan_client.get(BOARD))
    available = section(page, "available-heading")
    shown = available.count("<article")
    assert shown == 2
    total = int(re.search(r"Show all (\d+) open quests", available).group(1))
    assert total > shown
    assert 'href="?show=available#available-heading"' in available

    everything = section(text(fan_client.get(BOARD + "?show=available")), "available-heading")
    assert everything.count("<article") == total
    assert "Show all" not in everything
    assert '<a href="?#available-heading">Show fewer</a>' in everything


def test_the_quest_just_completed_leads_its_section(fan_client, sandbox_api, monkeypatch):
    monkeypatch.setattr("loyalty.presentation.BOARD_SECTION_SIZES", {"completed": 1})
    sandbox_api.complete(1, 2)  # done before: they come first in the catalogue's order
    response = fan_client.post(reverse("tbits_loyalty:complete", args=[3]))
    assert response["Location"].endswith("#tbits-messages")
    completed = section(text(fan_client.get(BOARD)), "completed-heading")
    assert 'id="quest-3"' in completed  # the redirect's anchor is on the page
    assert "Show all 3 completed quests" in completed


def test_a_completed_quest_is_a_short_card(fan_client, sandbox_api):
    fan_client.post(reverse("tbits_loyalty:complete", args=[1]))
    completed = section(text(fan_client.get(BOARD)), "completed-heading")
    card = completed[completed.index('id="quest-1"') :]
    card = card[: card.index("</article>")]
    assert "Follow us" in card
    assert "tb-state--done" in card and ">Completed<" in card  # a check mark and the word
    assert "+50" in card
    assert "Follow the club" not in card  # the description is for quests still to do
