"""A completion the API refuses: the fan is told why, and nothing says it happened.

Against the seeded sandbox over HTTP. The sandbox refuses a completion by itself when the
quest no longer exists (404 "No such quest."); other refusals are its injected 400 fault
(``TBITS_SANDBOX_FAULTS``), which answers the documented error shape. The portal's cached
board still offers the quest in both cases, as it would when the provider closed a quest
between two page loads.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import translation

from loyalty import refusals
from loyalty.scan import scan_token
from tbits_client import BadRequest, NotFound
from tests.loyalty.conftest import log_in_demo_fan
from tests.loyalty.test_views import BOARD, flashed, text

LOUNGE = "Members' lounge tour"
SHOP = "Visit the club shop"
SCAN = "Check in at the stadium"
WRISTBAND = "Link your wristband"
COMPLETE_FAULT = r"/quests/\d+/fans/\d+/complete$"
CLAIMS = ("Quest complete", "You earned", "We are having trouble right now")
GENERIC = "The quest could not be completed: the loyalty service did not accept it."
GONE = "This quest can no longer be completed: it is not available."


@pytest.fixture
def fan(live_sandbox: Any, client: Client) -> Client:
    """The demo fan, logged in through the sandbox, with the quest board already seen."""
    log_in_demo_fan(client, live_sandbox)
    assert client.get(BOARD).status_code == 200
    return client


def balance(page: str) -> int:
    match = re.search(r'class="tb-balance__value">([\d,\s\u202f\xa0]+)<', page)
    assert match, "no balance on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def completions(live_sandbox: Any, quest_id: int) -> int:
    """How many completions of this quest the sandbox holds for the demo fan."""
    from tbits_sandbox.models import FanActivity

    return FanActivity.objects.filter(fan_id=live_sandbox.fan_id, page_tab_id=quest_id).count()


def refuse_completions(settings: Any) -> None:
    settings.TBITS_SANDBOX_FAULTS = f"{COMPLETE_FAULT}=400"


def open_wristband_quest(live_sandbox: Any) -> int:
    """Open the wristband quest (it needs Silver) to the demo fan; the board is read again."""
    from tbits_sandbox.models import Quest

    quest_id = int(live_sandbox.quests[WRISTBAND])
    Quest.objects.filter(page_tab_id=quest_id).update(access_restriction_type="", point_tier=None)
    caches["default"].clear()  # sessions are kept in the database too
    return quest_id


def assert_nothing_claimed(page: str) -> None:
    for claim in CLAIMS:
        assert claim not in page, f"the page says {claim!r}"


def test_refused_completion_says_why_and_records_nothing(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    quest_id = int(live_sandbox.quests[LOUNGE])
    before = balance(text(fan.get(BOARD)))
    refuse_completions(settings)
    url = reverse("tbits_loyalty:complete", args=[quest_id])
    response = fan.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}#tbits-messages"
    assert flashed(response) == [GENERIC]
    page = text(fan.get(response["Location"]))
    assert GENERIC in page
    assert 'class="tb-toast tb-toast--error"' in page
    assert_nothing_claimed(page)
    # The sandbox's own words are not shown: they are not the portal's to translate.
    assert "Injected fault" not in page
    assert balance(page) == before
    assert f'action="{url}"' in page  # still there to complete
    assert completions(live_sandbox, quest_id) == 0


def test_quest_gone_upstream_is_no_longer_available(fan: Client, live_sandbox: Any) -> None:
    from tbits_sandbox.models import Quest

    quest_id = int(live_sandbox.quests[LOUNGE])
    before = balance(text(fan.get(BOARD)))
    # Removed by the provider after the fan's board was loaded (the board is cached).
    Quest.objects.filter(page_tab_id=quest_id).delete()
    response = fan.post(reverse("tbits_loyalty:complete", args=[quest_id]))
    assert response.status_code == 302
    assert flashed(response) == [GONE]
    page = text(fan.get(response["Location"]))
    assert GONE in page
    assert_nothing_claimed(page)
    assert balance(page) == before
    assert completions(live_sandbox, quest_id) == 0


def test_a_refusal_keeps_the_cached_fan_data(fan: Client, live_sandbox: Any, settings: Any) -> None:
    before = balance(text(fan.get(BOARD)))
    refuse_completions(settings)
    fan.post(reverse("tbits_loyalty:complete", args=[live_sandbox.quests[LOUNGE]]))
    # With the fan's reads now failing and their cache stale, the board can only be drawn
    # from the copy kept before the refusal: a refusal must not have thrown it away.
    settings.TBITS = {**settings.TBITS, "FAN_CACHE_TTL": 0}
    settings.TBITS_SANDBOX_FAULTS = rf"{COMPLETE_FAULT}=400,/fans/\d+/=503"
    response = fan.get(BOARD)
    assert response.status_code == 200
    page = text(response)
    assert "some of what you see may be a few minutes old" in page
    assert balance(page) == before


def test_after_a_refusal_the_fan_can_try_again_at_once(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    quest_id = int(live_sandbox.quests[LOUNGE])
    url = reverse("tbits_loyalty:complete", args=[quest_id])
    refuse_completions(settings)
    assert flashed(fan.post(url)) == [GENERIC]
    settings.TBITS_SANDBOX_FAULTS = ""
    response = fan.post(url)
    assert response.status_code == 302
    assert flashed(response)[-1].startswith("Quest complete: Members")
    assert completions(live_sandbox, quest_id) == 1


def test_refused_link_quest_does_not_send_the_fan_away(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    quest_id = int(live_sandbox.quests[SHOP])
    refuse_completions(settings)
    response = fan.post(reverse("tbits_loyalty:visit", args=[quest_id]))
    assert response.status_code == 302
    assert response["Location"] == f"{BOARD}#tbits-messages"
    assert flashed(response) == [GENERIC]
    assert completions(live_sandbox, quest_id) == 0


def test_refused_scan_goes_back_to_the_scan_page(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    quest_id = int(live_sandbox.quests[SCAN])
    url = reverse("tbits_loyalty:scan", args=[scan_token(quest_id)])
    assert fan.get(url).status_code == 200
    refuse_completions(settings)
    response = fan.post(url)
    assert response.status_code == 302
    assert response["Location"] == url
    page = text(fan.get(url))
    assert GENERIC in page
    assert_nothing_claimed(page)
    assert completions(live_sandbox, quest_id) == 0


def test_refused_wristband_number_is_kept_with_the_reason(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    from tbits_sandbox.models import FanRegistration

    quest_id = open_wristband_quest(live_sandbox)
    url = reverse("tbits_loyalty:wristband", args=[quest_id])
    assert fan.get(url).status_code == 200
    settings.TBITS_SANDBOX_FAULTS = r"/fans/\d+/registrations$=400"
    response = fan.post(url, {"barcode": "wb-2026-0042"})
    assert response.status_code == 200
    page = text(response)
    assert "this wristband or ticket number was not accepted. Check it and try again." in page
    assert 'value="wb-2026-0042"' in page
    assert 'aria-invalid="true"' in page
    assert_nothing_claimed(page)
    assert "Nothing was saved" not in page  # the service answered; it is not down
    assert completions(live_sandbox, quest_id) == 0
    assert not FanRegistration.objects.filter(fan_id=live_sandbox.fan_id).exists()


def test_refused_wristband_completion_says_why_on_the_form(
    fan: Client, live_sandbox: Any, settings: Any
) -> None:
    quest_id = open_wristband_quest(live_sandbox)
    url = reverse("tbits_loyalty:wristband", args=[quest_id])
    assert fan.get(url).status_code == 200
    refuse_completions(settings)
    response = fan.post(url, {"barcode": "WB-2026-0042"})
    assert response.status_code == 200
    page = text(response)
    assert GENERIC in page
    assert 'value="WB-2026-0042"' in page
    assert completions(live_sandbox, quest_id) == 0


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param(503, 503, id="down"),
        pytest.param(500, 503, id="server-error"),
        pytest.param(429, 429, id="rate-limited"),
        # Completions are made with the site's key and secret: a 401 means the site is
        # misconfigured, which is not the fan's to fix (never a refusal of the quest).
        pytest.param(401, 503, id="unauthorized"),
    ],
)
def test_failures_that_are_not_refusals_keep_their_pages(
    fan: Client, live_sandbox: Any, settings: Any, status: int, expected: int
) -> None:
    settings.TBITS = {**settings.TBITS, "API_MAX_RETRIES": 0}
    quest_id = int(live_sandbox.quests[LOUNGE])
    settings.TBITS_SANDBOX_FAULTS = f"{COMPLETE_FAULT}={status}"
    response = fan.post(reverse("tbits_loyalty:complete", args=[quest_id]))
    assert response.status_code == expected
    assert not any("could not be completed" in message for message in flashed(response))
    assert completions(live_sandbox, quest_id) == 0


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (BadRequest("This quest has ended."), refusals.Refusal.ENDED),
        (BadRequest("Quest expired on 2026-01-01."), refusals.Refusal.ENDED),
        (BadRequest("Quest is not open yet."), refusals.Refusal.NOT_OPEN),
        (BadRequest("Quest is locked for this fan."), refusals.Refusal.LOCKED),
        (BadRequest("Fan has not reached the required tier."), refusals.Refusal.LOCKED),
        (BadRequest("Invalid scan code."), refusals.Refusal.CODE_REJECTED),
        (NotFound("No such quest."), refusals.Refusal.UNKNOWN_QUEST),
        (NotFound("HTTP 404"), refusals.Refusal.UNKNOWN_QUEST),
        (NotFound("No such fan."), refusals.Refusal.OTHER),
        (BadRequest("Injected fault: the sandbox answers 400."), refusals.Refusal.OTHER),
        (
            BadRequest("barcode refused", endpoint="crm_fan_registration_create"),
            refusals.Refusal.WRISTBAND_REJECTED,
        ),
    ],
)
def test_the_api_reason_is_recognised(error: Exception, reason: refusals.Refusal) -> None:
    assert refusals.refusal_reason(error) is reason  # type: ignore[arg-type]


@translation.override("en")
def test_every_reason_reads_as_a_sentence_of_our_own() -> None:
    secret = "sk-live-4f9a"
    error = BadRequest(f"Quest has ended (api_secret={secret})")
    message = refusals.refusal_text(refusals.refusal_reason(error))
    assert message == "This quest can no longer be completed: it has ended."
    texts = {refusals.refusal_text(reason) for reason in refusals.Refusal}
    assert len(texts) == len(refusals.Refusal)
    assert all(secret not in text and text.endswith(".") for text in texts)
