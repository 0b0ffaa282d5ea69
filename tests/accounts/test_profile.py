"""The profile: view and edit names and preferences, set a password, like idols.

Against the live sandbox: a change is checked where it lands (the sandbox's fan record),
not in the request that was sent. Two answers the sandbox cannot give stay on ``responses``
(``test_only_web_images_are_shown``: an idol whose ``image_url`` is a ``javascript:`` URL;
``test_fan_record_timing_out_is_a_503``: a connection timeout).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
import responses
from django.contrib.auth.hashers import check_password

from accounts.fan import SESSION_KEY as FAN_KEY
from tests.accounts.conftest import API, FakeApi, log_in

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
PASSWORD = "/accounts/profile/password/"
IDOLS = "/accounts/profile/idols/"


def _demo_fan(live_sandbox: Any) -> Any:
    from tbits_sandbox.models import Fan

    return Fan.objects.get(pk=live_sandbox.fan_id)


def _idol_uid(live_sandbox: Any, name: str) -> str:
    return str(live_sandbox.idols[name])


def test_profile_needs_a_fan(client: Any) -> None:
    response = client.get(PROFILE)
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"


@pytest.mark.sandbox_full  # display_name and is_phone_subscribed: extras of the fan record
def test_profile_shows_the_fan_and_idols(sandbox_fan: Any) -> None:
    response = sandbox_fan.get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Your profile" in html
    assert 'value="Alex"' in html and 'value="Morgan"' in html and 'value="AlexM"' in html
    assert re.search(r'name="is_subscribed"[^>]*checked', html)
    assert not re.search(r'name="is_phone_subscribed"[^>]*checked', html)
    # Sorted by name; the liked one offers "Unlike".
    assert html.index("Sam Rivera") < html.index("The Tide")
    assert "Unlike The Tide" in html and "Like Sam Rivera" in html
    assert 'action="/accounts/logout/"' in html
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]


def shown_initials(html: str) -> dict[str, str]:
    """The hidden ``initial-`` inputs a browser sends back with the profile form."""
    pattern = r'<input type="hidden" name="(initial-[a-z_]+)"(?: value="([^"]*)")?'
    return dict(re.findall(pattern, html))


def test_profile_update(sandbox_fan: Any, live_sandbox: Any) -> None:
    initials = shown_initials(sandbox_fan.get(PROFILE).content.decode())
    assert initials["initial-first_name"] == "Alex"
    response = sandbox_fan.post(
        PROFILE,
        {
            **initials,
            "first_name": "Alexa",
            "last_name": "Morgan",
            "display_name": "Lex",
            "is_phone_subscribed": "on",
        },
    )
    assert response["Location"] == PROFILE
    fan = _demo_fan(live_sandbox)
    assert (fan.first_name, fan.display_name) == ("Alexa", "Lex")
    assert fan.is_subscribed is False and fan.is_phone_subscribed is True
    assert check_password(live_sandbox.fan_password, fan.password_hash)  # no password sent
    assert "Your profile is saved." in sandbox_fan.get(PROFILE).content.decode()


def test_profile_update_sends_only_what_the_fan_changed(
    sandbox_fan: Any, live_sandbox: Any, settings: Any
) -> None:
    """A value the documented record does not carry is not erased by the page's blank.

    The documented session fan record has no ``display_name`` and no
    ``is_phone_subscribed`` (api-reference.txt, Sessions Calls, "Fetch current Fan Record"),
    so the page shows them empty; saving a new first name must leave both as they were.
    """
    from tbits_sandbox.models import Fan

    Fan.objects.filter(pk=live_sandbox.fan_id).update(is_phone_subscribed=True)
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True
    html = sandbox_fan.get(PROFILE).content.decode()
    assert 'value="AlexM"' not in html  # not answered, so not shown
    response = sandbox_fan.post(
        PROFILE,
        {
            **shown_initials(html),
            "first_name": "Alexa",
            "last_name": "Morgan",
            "is_subscribed": "on",
        },
    )
    assert response["Location"] == PROFILE
    fan = _demo_fan(live_sandbox)
    assert (fan.first_name, fan.display_name, fan.is_phone_subscribed) == ("Alexa", "AlexM", True)


def test_profile_update_refused(sandbox_fan: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_FAULTS = "/fan$=400"
    response = sandbox_fan.post(PROFILE, {"first_name": "J", "last_name": "D"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could not save these changes." in html
    assert "Injected fault" not in html  # the API's words are never shown


def test_profile_update_validation(sandbox_fan: Any, live_sandbox: Any) -> None:
    html = sandbox_fan.post(PROFILE, {"first_name": "", "last_name": "D"}).content.decode()
    assert 'id="id_first_name_error"' in html and "autofocus" in html
    assert _demo_fan(live_sandbox).last_name == "Morgan"  # nothing was sent


def test_set_password(sandbox_fan: Any, live_sandbox: Any) -> None:
    response = sandbox_fan.post(
        PASSWORD, {"new_password": "correct horse", "new_password_again": "correct horse"}
    )
    assert response["Location"] == PROFILE
    assert check_password("correct horse", _demo_fan(live_sandbox).password_hash)


@pytest.mark.parametrize(
    ("first", "second", "error"),
    [
        ("short", "short", "Ensure this value has at least 8 characters"),
        ("long enough", "different!", "The two passwords are not the same."),
    ],
)
def test_set_password_validation(
    sandbox_fan: Any, live_sandbox: Any, first: str, second: str, error: str
) -> None:
    response = sandbox_fan.post(PASSWORD, {"new_password": first, "new_password_again": second})
    html = response.content.decode()
    assert error in html
    assert first not in html.split("<main", 1)[1].replace("at least 8 characters", "")
    # Nothing was sent: the seeded password still works.
    assert check_password(live_sandbox.fan_password, _demo_fan(live_sandbox).password_hash)


def test_password_is_get_only_on_profile(fan_client: Any) -> None:
    assert fan_client.get(PASSWORD).status_code == 405


@pytest.mark.parametrize(("action", "liked"), [("add", True), ("delete", False)])
def test_like_and_unlike(sandbox_fan: Any, live_sandbox: Any, action: str, liked: bool) -> None:
    band = _idol_uid(live_sandbox, "The Tide")
    captain = _idol_uid(live_sandbox, "Sam Rivera")
    target = captain if liked else band
    response = sandbox_fan.post(IDOLS, {"idol_uid": target, "action": action})
    assert response["Location"] == "/accounts/profile/#idols"
    liked_now = {str(idol.idol_uid) for idol in _demo_fan(live_sandbox).idols.all()}
    assert (target in liked_now) is liked


def test_like_refused_says_so(sandbox_fan: Any) -> None:
    # An idol the account does not have: the sandbox refuses it (400).
    response = sandbox_fan.post(
        IDOLS, {"idol_uid": "00000000-0000-0000-0000-000000000000", "action": "add"}, follow=True
    )
    assert "We could not save these changes." in response.content.decode()


def test_like_needs_a_fan(client: Any, live_sandbox: Any) -> None:
    band = _idol_uid(live_sandbox, "The Tide")
    response = client.post(IDOLS, {"idol_uid": band, "action": "delete"})
    assert response.status_code == 302
    assert band in {str(idol.idol_uid) for idol in _demo_fan(live_sandbox).idols.all()}


def test_idols_failing_degrades(sandbox_fan: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_FAULTS = "v1/idols$=502"
    settings.TBITS = {**settings.TBITS, "API_MAX_RETRIES": 0}
    response = sandbox_fan.get(PROFILE)
    assert response.status_code == 200
    assert "The artists cannot be shown right now." in response.content.decode()


def test_fan_record_failing_is_a_503(sandbox_fan: Any, settings: Any) -> None:
    settings.TBITS_SANDBOX_FAULTS = "/fan$=502"
    settings.TBITS = {**settings.TBITS, "API_MAX_RETRIES": 0}
    assert sandbox_fan.get(PROFILE).status_code == 503


def test_expired_api_session_sends_the_fan_to_log_in(client: Any, live_sandbox: Any) -> None:
    log_in(client, session_uid="a-session-the-sandbox-never-opened")
    response = client.get(PROFILE)
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    assert FAN_KEY not in client.session


def test_expired_session_on_update(client: Any, live_sandbox: Any) -> None:
    log_in(client, session_uid="a-session-the-sandbox-never-opened")
    band = _idol_uid(live_sandbox, "The Tide")
    response = client.post(IDOLS, {"idol_uid": band, "action": "add"})
    # Back to the list the button was in: the like/unlike URL itself answers POST only.
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F%23idols"
    assert FAN_KEY not in client.session


def test_idol_label_is_sent(sandbox_fan: Any, settings: Any) -> None:
    # "The Tide" is labelled "music", "Sam Rivera" is not.
    settings.TBITS = {**settings.TBITS, "IDOL_LABEL_NAME": "music"}
    html = sandbox_fan.get(PROFILE).content.decode()
    assert "The Tide" in html and "Sam Rivera" not in html


# -- answers the sandbox cannot give ------------------------------------------------------

UID = "sess-uid-1111"
FAN_URL = f"{API}api/v1/sessions/{UID}/fan"
LIKED_URL = f"{API}api/v1/sessions/{UID}/idols"
IDOLS_URL = f"{API}api/v1/idols"


def test_only_web_images_are_shown(fan_client: Any, api: FakeApi) -> None:
    api.mock.add(responses.GET, FAN_URL, json={"fan_id": 501, "first_name": "Jane"})
    api.mock.add(
        responses.GET,
        IDOLS_URL,
        json=[
            {"idol_uid": "i-2", "idol_name": "Zed Band", "image_url": "https://img.example/z.png"},
            {"idol_uid": "i-1", "idol_name": "Alpha Duo", "image_url": "javascript:alert(1)"},
        ],
    )
    api.mock.add(responses.GET, LIKED_URL, json=[])
    html = fan_client.get(PROFILE).content.decode()
    assert "https://img.example/z.png" in html
    assert "Alpha Duo" in html and "javascript:" not in html


def test_fan_record_timing_out_is_a_503(fan_client: Any, api: FakeApi) -> None:
    api.mock.add(responses.GET, FAN_URL, body=requests.ConnectTimeout("down"))
    api.mock.add(responses.GET, IDOLS_URL, json=[])
    api.mock.add(responses.GET, LIKED_URL, json=[])
    assert fan_client.get(PROFILE).status_code == 503
