"""No false success: when a write fails upstream, the fan is told, and nothing says otherwise.

For each write (complete a quest, follow a link quest, link a wristband, register, save the
profile, set a password) the API fails at exactly that call, through the fault proxy in
front of the seeded sandbox. The tests then check three things a fan would notice: the
answer says it did not happen, the next page does not claim it did either, and the sandbox
(the other side of the wire) really has nothing. Where the fan typed something, it is still
in the form. One more case is the reverse: the API did the work but answered too late; the
portal must not lose it nor count it twice.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from loadtest.fault_proxy import Fault
from tests.reliability.conftest import Proxied

pytestmark = pytest.mark.django_db(transaction=True)

BOARD = reverse("tbits_loyalty:quests")
PROFILE = reverse("tbits_accounts:profile")
COMPLETE = (r"/quests/\d+/fans/\d+/complete$", "POST")
CONNECT = (r"/sessions/connect$", "POST")
SESSION_FAN_WRITE = (r"/sessions/[^/]+/fan$", "POST")
REGISTRATION = (r"/fans/\d+/registrations$", "POST")
LOUNGE = "Members' lounge tour"
CLAIMS = ("Quest complete", "You earned", "Your profile is saved", "Your password is saved")
#: The ways a write fails that leave the API's side untouched (the proxy answers instead).
FAULTS = (Fault.UNAVAILABLE, Fault.READ_TIMEOUT, Fault.DROPPED, Fault.NOT_JSON)


def text(response: Any) -> str:
    return response.content.decode()


def balance(html: str) -> int:
    match = re.search(r'class="tb-balance__value">([\d,\s\u202f\xa0]+)<', html)
    assert match, "no balance on the page"
    return int(re.sub(r"\D", "", match.group(1)))


def completed_upstream(proxied: Proxied, quest_id: int) -> int:
    """How many completions the sandbox holds for the demo fan and this quest."""
    from tbits_sandbox.models import FanActivity

    return FanActivity.objects.filter(fan_id=proxied.sandbox.fan_id, page_tab_id=quest_id).count()


def quest_points(quest_id: int) -> int:
    from tbits_sandbox.models import Quest

    return int(Quest.objects.get(page_tab_id=quest_id).fan_points_reward)


def assert_nothing_claimed(html: str) -> None:
    for claim in CLAIMS:
        assert claim not in html, f"the page claims {claim!r}"


@pytest.fixture
def fan(proxied: Proxied) -> Client:
    client = Client()
    proxied.log_in(client)
    return client


def test_failed_completion_is_not_reported_as_done(proxied: Proxied, fan: Client) -> None:
    quest_id = int(proxied.sandbox.quests[LOUNGE])
    url = reverse("tbits_loyalty:complete", args=[quest_id])
    before = balance(text(fan.get(BOARD)))
    for fault in FAULTS:
        proxied.reset()
        proxied.proxy.set_faults((*COMPLETE[:1], fault, COMPLETE[1]))
        response = fan.post(url, HTTP_REFERER=f"http://testserver{BOARD}")
        assert response.status_code == 503, fault
        assert "We are having trouble right now" in text(response)
        assert_nothing_claimed(text(response))
        proxied.proxy.heal()
        page = text(fan.get(BOARD))
        assert_nothing_claimed(page)
        assert balance(page) == before, fault
        assert f'action="{url}"' in page  # still there to complete
        assert completed_upstream(proxied, quest_id) == 0, fault


def test_failed_link_quest_does_not_send_the_fan_away(proxied: Proxied, fan: Client) -> None:
    quest_id = int(proxied.sandbox.quests["Visit the club shop"])
    fan.get(BOARD)
    proxied.proxy.set_faults((*COMPLETE[:1], Fault.UNAVAILABLE, COMPLETE[1]))
    response = fan.post(reverse("tbits_loyalty:visit", args=[quest_id]))
    assert response.status_code == 503
    assert "Location" not in response
    assert completed_upstream(proxied, quest_id) == 0


def test_completion_answered_too_late_is_neither_lost_nor_counted_twice(
    proxied: Proxied, fan: Client
) -> None:
    quest_id = int(proxied.sandbox.quests[LOUNGE])
    before = balance(text(fan.get(BOARD)))
    url = reverse("tbits_loyalty:complete", args=[quest_id])
    proxied.proxy.set_faults((*COMPLETE[:1], Fault.LATE_ANSWER, COMPLETE[1]))
    response = fan.post(url)
    # The portal stopped waiting: it cannot know, so it does not say it worked...
    assert response.status_code == 503
    assert_nothing_claimed(text(response))
    # ...though the API did record it.
    assert completed_upstream(proxied, quest_id) == 1
    proxied.proxy.heal()
    # Trying again is safe: the completion is recorded once and the points counted once.
    response = fan.post(url)
    assert response.status_code == 302
    page = text(fan.get(BOARD))
    assert completed_upstream(proxied, quest_id) == 1
    assert balance(page) == before + quest_points(quest_id)
    assert f'action="{url}"' not in page


def test_failed_wristband_link_keeps_the_barcode(proxied: Proxied, fan: Client) -> None:
    from tbits_sandbox.models import FanRegistration, Quest

    quest_id = int(proxied.sandbox.quests["Link your wristband"])
    Quest.objects.filter(page_tab_id=quest_id).update(access_restriction_type="", point_tier=None)
    url = reverse("tbits_loyalty:wristband", args=[quest_id])
    for fault in FAULTS:
        proxied.reset()
        assert fan.get(url).status_code == 200
        proxied.proxy.set_faults((*REGISTRATION[:1], fault, REGISTRATION[1]))
        response = fan.post(url, {"barcode": "wb 2026 0042"})
        assert response.status_code == 503, fault
        page = text(response)
        assert "Nothing was saved" in page
        assert 'value="WB20260042"' in page or 'value="wb 2026 0042"' in page
        assert_nothing_claimed(page)
        assert completed_upstream(proxied, quest_id) == 0
        assert not FanRegistration.objects.filter(fan_id=proxied.sandbox.fan_id).exists()


def _registration_step(proxied: Proxied, client: Client) -> str:
    email = f"fan-{uuid.uuid4().hex[:8]}@example.com"
    assert client.post(reverse("tbits_accounts:login"), {"contact": email}).status_code == 302
    code = proxied.sandbox.latest_code(email)
    response = client.post(reverse("tbits_accounts:code"), {"code": code})
    assert response["Location"] == reverse("tbits_accounts:register")
    return email


NAMES = {"first_name": "Zoë", "last_name": "Brontë-Sørensen", "accept_terms": "on"}


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        pytest.param(Fault.UNAVAILABLE, 503, id="503"),
        pytest.param(Fault.READ_TIMEOUT, 503, id="timeout"),
        pytest.param(Fault.RATE_LIMITED, 429, id="429"),
    ],
)
def test_failed_registration_keeps_the_names_and_creates_nobody(
    proxied: Proxied, client: Client, fault: Fault, status: int
) -> None:
    from tbits_sandbox.models import Fan

    email = _registration_step(proxied, client)
    proxied.proxy.set_faults((*CONNECT[:1], fault, CONNECT[1]))
    response = client.post(reverse("tbits_accounts:register"), NAMES)
    assert response.status_code == status
    page = text(response)
    assert "Nothing was saved" in page
    assert 'value="Zoë"' in page and 'value="Brontë-Sørensen"' in page
    assert not Fan.objects.filter(email=email).exists()
    # Not logged in either: the portal sends the visitor to log in.
    assert client.get(reverse("tbits_loyalty:dashboard"))["Location"].startswith("/accounts/login/")
    # The same form, sent again once the API is back (and any Retry-After has passed),
    # creates the fan.
    proxied.proxy.heal()
    caches["default"].clear()
    response = client.post(reverse("tbits_accounts:register"), NAMES)
    assert response.status_code == 302
    created = Fan.objects.get(email=email)
    assert (created.first_name, created.last_name) == ("Zoë", "Brontë-Sørensen")


def test_registration_answered_too_late_asks_the_fan_to_log_in(
    proxied: Proxied, client: Client
) -> None:
    from tbits_sandbox.models import Fan

    email = _registration_step(proxied, client)
    proxied.proxy.set_faults((*CONNECT[:1], Fault.LATE_ANSWER, CONNECT[1]))
    response = client.post(reverse("tbits_accounts:register"), NAMES)
    assert response.status_code == 503
    assert "Nothing was saved" in text(response)
    # The API did create the account; trying again says so instead of creating another.
    assert Fan.objects.filter(email=email).count() == 1
    proxied.proxy.heal()
    response = client.post(reverse("tbits_accounts:register"), NAMES, follow=True)
    assert Fan.objects.filter(email=email).count() == 1
    assert response.redirect_chain[-1][0] == reverse("tbits_accounts:login")
    assert "Your account is ready. Please log in to continue." in text(response)


def _fan_record(proxied: Proxied) -> tuple[str, str, str]:
    from tbits_sandbox.models import Fan

    record = Fan.objects.get(fan_id=proxied.sandbox.fan_id)
    return record.first_name, record.last_name, record.display_name


def test_failed_profile_save_keeps_the_input_and_changes_nothing(
    proxied: Proxied, fan: Client
) -> None:
    before = _fan_record(proxied)
    typed = {"first_name": "Amélie", "last_name": "Nakamura", "display_name": "Amé the Tide"}
    for fault in (*FAULTS, Fault.RATE_LIMITED):
        proxied.reset()
        assert fan.get(PROFILE).status_code == 200
        proxied.proxy.set_faults((*SESSION_FAN_WRITE[:1], fault, SESSION_FAN_WRITE[1]))
        response = fan.post(PROFILE, typed)
        assert response.status_code == (429 if fault is Fault.RATE_LIMITED else 503), fault
        page = text(response)
        assert "Nothing was saved" in page
        for value in typed.values():
            assert f'value="{value}"' in page
        assert _fan_record(proxied) == before
        proxied.proxy.heal()
        page = text(fan.get(PROFILE))
        assert_nothing_claimed(page)
        assert 'value="Amélie"' not in page


def test_profile_save_with_the_api_down_keeps_the_input(
    proxied: Proxied, fan: Client, settings: Any
) -> None:
    assert fan.get(PROFILE).status_code == 200
    settings.TBITS = {**settings.TBITS, "API_BASE_URL": "http://127.0.0.1:9/sandbox/"}
    response = fan.post(PROFILE, {"first_name": "Amélie", "last_name": "Nakamura"})
    assert response.status_code == 503
    page = text(response)
    assert "Nothing was saved" in page and 'value="Amélie"' in page


def test_password_save_with_the_api_down_says_nothing_was_saved(
    proxied: Proxied, fan: Client, settings: Any
) -> None:
    """The page around the form cannot be loaded either: still the form and why, not a 5xx page."""
    assert fan.get(PROFILE).status_code == 200
    settings.TBITS = {**settings.TBITS, "API_BASE_URL": "http://127.0.0.1:9/sandbox/"}
    new = "brand-new-password-78"
    response = fan.post(
        reverse("tbits_accounts:profile_password"),
        {"new_password": new, "new_password_again": new},
    )
    assert response.status_code == 503
    page = text(response)
    assert "Nothing was saved" in page
    assert 'name="new_password"' in page and new not in page
    assert_nothing_claimed(page)


def test_failed_password_save_keeps_the_old_password(proxied: Proxied, fan: Client) -> None:
    from accounts.api import get_client
    from tbits_client import Unauthorized

    new = "brand-new-password-77"
    seed = proxied.sandbox
    for fault in FAULTS:
        proxied.reset()
        proxied.proxy.set_faults((*SESSION_FAN_WRITE[:1], fault, SESSION_FAN_WRITE[1]))
        response = fan.post(
            reverse("tbits_accounts:profile_password"),
            {"new_password": new, "new_password_again": new},
        )
        assert response.status_code == 503, fault
        page = text(response)
        assert "Nothing was saved" in page
        assert new not in page  # a password is never written back into a page
        proxied.proxy.heal()
        with pytest.raises(Unauthorized):
            get_client().connect_password(
                business_id=seed.business_id, email=seed.fan_email, password=new
            )
    old_login = get_client().connect_password(
        business_id=seed.business_id, email=seed.fan_email, password=seed.fan_password
    )
    assert old_login.session is not None


def test_finding_3_a_completion_the_api_accepted_is_reported_when_the_re_read_fails(
    proxied: Proxied, fan: Client
) -> None:
    """Issue 17 finding 3: the completion was recorded, yet the fan got the 503 page.

    The completion call goes through; every read after it fails. The fan reads the
    success with the quest's points, and the pages keep showing the fan's last good data,
    flagged, instead of a 503.
    """
    quest_id = int(proxied.sandbox.quests[LOUNGE])
    url = reverse("tbits_loyalty:complete", args=[quest_id])
    before = balance(text(fan.get(BOARD)))
    proxied.proxy.set_faults((r"^/sandbox/api/", Fault.UNAVAILABLE, "GET"))
    response = fan.post(url, HTTP_REFERER=f"http://testserver{BOARD}")
    assert response.status_code == 302, text(response)[:300]
    assert completed_upstream(proxied, quest_id) == 1
    page = fan.get(response["Location"])
    html = text(page)
    assert page.status_code == 200, html[:300]
    assert "Quest complete" in html
    assert f"You earned {quest_points(quest_id)} points" in html
    assert balance(html) == before  # the last good copy, not a guess...
    assert "may be a few minutes old" in html  # ...and said to be one
    proxied.proxy.heal()
    assert balance(text(fan.get(BOARD))) == before + quest_points(quest_id)
