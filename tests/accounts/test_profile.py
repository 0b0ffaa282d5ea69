"""The profile: view and edit names and preferences, set a password, like idols."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from accounts.fan import SESSION_KEY as FAN_KEY
from tests.accounts.conftest import API, FakeApi, log_in

pytestmark = pytest.mark.django_db

UID = "sess-uid-1111"
FAN_URL = f"{API}api/v1/sessions/{UID}/fan"
LIKED_URL = f"{API}api/v1/sessions/{UID}/idols"
IDOLS_URL = f"{API}api/v1/idols"

FAN = {
    "fan_id": 501,
    "first_name": "Jane",
    "last_name": "Doe",
    "display_name": "JD",
    "email": "fan@example.com",
    "is_subscribed": True,
    "is_phone_subscribed": False,
}
IDOLS = [
    {"idol_uid": "i-2", "idol_name": "Zed Band", "image_url": "https://img.example/z.png"},
    {"idol_uid": "i-1", "idol_name": "Alpha Duo", "image_url": "javascript:alert(1)"},
]


@pytest.fixture
def profile_api(api: FakeApi) -> FakeApi:
    api.mock.add(responses.GET, FAN_URL, json=FAN)
    api.mock.add(responses.GET, IDOLS_URL, json=IDOLS)
    api.mock.add(responses.GET, LIKED_URL, json=[IDOLS[0]])
    return api


def form_of(request: Any) -> dict[str, str]:
    return dict(parse_qsl(request.body or ""))


def test_profile_needs_a_fan(client: Any, api: FakeApi) -> None:
    response = client.get("/accounts/profile/")
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"


def test_profile_shows_the_fan_and_idols(client: Any, profile_api: FakeApi) -> None:
    log_in(client)
    response = client.get("/accounts/profile/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Your profile" in html
    assert 'value="Jane"' in html and 'value="Doe"' in html and 'value="JD"' in html
    assert re.search(r'name="is_subscribed"[^>]*checked', html)
    assert not re.search(r'name="is_phone_subscribed"[^>]*checked', html)
    # Sorted by name; the liked one offers "Unlike"; only web images are shown.
    assert html.index("Alpha Duo") < html.index("Zed Band")
    assert "Unlike Zed Band" in html and "Like Alpha Duo" in html
    assert "javascript:" not in html
    assert 'action="/accounts/logout/"' in html
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]


def test_profile_update(client: Any, profile_api: FakeApi) -> None:
    log_in(client)
    profile_api.mock.add(responses.POST, FAN_URL, json={"fan_id": 501})
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Janet",
            "last_name": "Doe",
            "display_name": "Jay",
            "is_phone_subscribed": "on",
        },
    )
    assert response["Location"] == "/accounts/profile/"
    (request,) = [r for r in profile_api.requests_to("/fan") if r.method == "POST"]
    sent = form_of(request)
    assert sent["first_name"] == "Janet" and sent["display_name"] == "Jay"
    assert sent["is_subscribed"] in {"false", "0", "False"}
    assert sent["is_phone_subscribed"] in {"true", "1", "True"}
    assert "password" not in sent


def test_profile_update_refused(client: Any, profile_api: FakeApi) -> None:
    log_in(client)
    profile_api.mock.add(responses.POST, FAN_URL, json={"error": "display name taken"}, status=400)
    response = client.post("/accounts/profile/", {"first_name": "J", "last_name": "D"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could not save these changes." in html
    assert "display name taken" not in html


def test_profile_update_validation(client: Any, profile_api: FakeApi) -> None:
    log_in(client)
    html = client.post("/accounts/profile/", {"first_name": "", "last_name": "D"}).content.decode()
    assert 'id="id_first_name_error"' in html and "autofocus" in html
    assert not [r for r in profile_api.requests_to("/fan") if r.method == "POST"]


def test_set_password(client: Any, profile_api: FakeApi) -> None:
    log_in(client)
    profile_api.mock.add(responses.POST, FAN_URL, json={"fan_id": 501})
    response = client.post(
        "/accounts/profile/password/",
        {"new_password": "correct horse", "new_password_again": "correct horse"},
    )
    assert response["Location"] == "/accounts/profile/"
    (request,) = [r for r in profile_api.requests_to("/fan") if r.method == "POST"]
    assert form_of(request)["password"] == "correct horse"


@pytest.mark.parametrize(
    ("first", "second", "error"),
    [
        ("short", "short", "Ensure this value has at least 8 characters"),
        ("long enough", "different!", "The two passwords are not the same."),
    ],
)
def test_set_password_validation(
    client: Any, profile_api: FakeApi, first: str, second: str, error: str
) -> None:
    log_in(client)
    response = client.post(
        "/accounts/profile/password/", {"new_password": first, "new_password_again": second}
    )
    html = response.content.decode()
    assert error in html
    assert first not in html.split("<main", 1)[1].replace("at least 8 characters", "")
    assert not [r for r in profile_api.requests_to("/fan") if r.method == "POST"]


def test_password_is_get_only_on_profile(client: Any, api: FakeApi) -> None:
    log_in(client)
    assert client.get("/accounts/profile/password/").status_code == 405


@pytest.mark.parametrize("action", ["add", "delete"])
def test_like_and_unlike(client: Any, api: FakeApi, action: str) -> None:
    log_in(client)
    api.mock.add(responses.POST, LIKED_URL, json={"success": True})
    response = client.post("/accounts/profile/idols/", {"idol_uid": "i-1", "action": action})
    assert response["Location"] == "/accounts/profile/#idols"
    (request,) = api.requests_to("/idols")
    assert form_of(request) == {"action": action, "idol_uid": "i-1"}


def test_like_needs_a_fan(client: Any, api: FakeApi) -> None:
    assert (
        client.post("/accounts/profile/idols/", {"idol_uid": "i", "action": "add"}).status_code
        == 302
    )
    assert api.requests_to("/idols") == []


def test_idols_failing_degrades(client: Any, api: FakeApi) -> None:
    log_in(client)
    api.mock.add(responses.GET, FAN_URL, json=FAN)
    api.mock.add(responses.GET, IDOLS_URL, status=503, json={})
    api.mock.add(responses.GET, LIKED_URL, json=[])
    response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert "The artists cannot be shown right now." in response.content.decode()


def test_fan_record_failing_is_a_503(client: Any, api: FakeApi) -> None:
    log_in(client)
    api.mock.add(responses.GET, FAN_URL, body=requests.ConnectTimeout("down"))
    api.mock.add(responses.GET, IDOLS_URL, json=[])
    api.mock.add(responses.GET, LIKED_URL, json=[])
    assert client.get("/accounts/profile/").status_code == 503


def test_expired_api_session_sends_the_fan_to_log_in(client: Any, api: FakeApi) -> None:
    log_in(client)
    api.mock.add(responses.GET, FAN_URL, status=401, json={"error": "session expired"})
    api.mock.add(responses.GET, IDOLS_URL, json=[])
    api.mock.add(responses.GET, LIKED_URL, status=401, json={"error": "session expired"})
    response = client.get("/accounts/profile/")
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    assert FAN_KEY not in client.session


def test_expired_session_on_update(client: Any, api: FakeApi) -> None:
    log_in(client)
    api.mock.add(responses.POST, LIKED_URL, status=401, json={"error": "expired"})
    response = client.post("/accounts/profile/idols/", {"idol_uid": "i-1", "action": "add"})
    assert response["Location"].startswith("/accounts/login/?next=")
    assert FAN_KEY not in client.session


def test_idol_label_is_sent(client: Any, profile_api: FakeApi, settings: Any) -> None:
    settings.TBITS = {**settings.TBITS, "IDOL_LABEL_NAME": "summer-fest"}
    log_in(client)
    client.get("/accounts/profile/")
    (request,) = profile_api.requests_to("api/v1/idols")
    assert "label_name=summer-fest" in request.url
