"""The one status-to-error mapping, row by row, and how errors reach the caller."""

from __future__ import annotations

import pickle

import pytest
import responses

from tbits_client import (
    BadRequest,
    CircuitOpen,
    ConfigurationError,
    InvalidResponse,
    NotFound,
    RateLimited,
    ServerError,
    SessionExpired,
    TbitsClient,
    TbitsError,
    TransportError,
    Unauthorized,
    error_for_status,
)

from .conftest import BASE_URL, build_client

# (status, session_bound, expected class) -- every row of errors._STATUS_TABLE and the
# fall-throughs around it.
MAPPING = [
    (400, False, BadRequest),
    (400, True, BadRequest),
    (401, False, Unauthorized),
    (401, True, SessionExpired),
    (403, False, Unauthorized),
    (403, True, Unauthorized),
    (404, False, NotFound),
    (404, True, NotFound),
    (405, False, BadRequest),
    (409, False, BadRequest),
    (410, False, NotFound),
    (422, False, BadRequest),
    (429, False, RateLimited),
    (429, True, RateLimited),
    (499, False, BadRequest),
    (500, False, ServerError),
    (502, False, ServerError),
    (503, True, ServerError),
    (504, False, ServerError),
    (599, False, ServerError),
    (302, False, InvalidResponse),
    (304, False, InvalidResponse),
    (101, False, InvalidResponse),
]


@pytest.mark.parametrize(("status", "session_bound", "expected"), MAPPING)
def test_error_for_status_table(status: int, session_bound: bool, expected: type) -> None:
    error = error_for_status(
        status,
        message="why",
        body={"error": "why"},
        endpoint="quests",
        method="GET",
        path="/api/v1/x",
        session_bound=session_bound,
        retry_after=7,
    )
    assert type(error) is expected
    assert isinstance(error, TbitsError)
    assert error.http_status == status
    assert error.message == "why"
    assert error.body == {"error": "why"}
    assert error.endpoint == "quests"
    if expected is RateLimited:
        assert error.retry_after == 7


def test_hierarchy_lets_the_web_layer_catch_broad_or_narrow() -> None:
    assert issubclass(SessionExpired, Unauthorized)
    assert issubclass(CircuitOpen, TransportError)
    for cls in (
        BadRequest,
        Unauthorized,
        NotFound,
        RateLimited,
        ServerError,
        TransportError,
        InvalidResponse,
    ):
        assert issubclass(cls, TbitsError)
    assert not issubclass(ConfigurationError, TbitsError)


# Same table through real HTTP answers: the client calls the mapping with the right inputs.
HTTP_CASES = [
    ("quests", 400, BadRequest),
    ("quests", 401, Unauthorized),
    ("quests", 403, Unauthorized),
    ("quests", 404, NotFound),
    ("quests", 429, RateLimited),
    ("quests", 500, ServerError),
    ("quests", 503, ServerError),
    ("session_fan", 401, SessionExpired),
    ("session_fan", 404, NotFound),
    ("quests", 302, InvalidResponse),
]


@pytest.mark.parametrize(("endpoint", "status", "expected"), HTTP_CASES)
def test_http_answers_map_to_errors(
    endpoint: str, status: int, expected: type, mocked: responses.RequestsMock
) -> None:
    client = build_client(max_retries=0)
    if endpoint == "quests":
        url, call = BASE_URL + "api/v1/ent/businesses/2002/quests", lambda: client.quests(2002)
        path = "/api/v1/ent/businesses/{business_id}/quests"
    else:
        url, call = (
            BASE_URL + "api/v1/sessions/s-123456/fan",
            lambda: client.get_session_fan("s-123456"),
        )
        path = "/api/v1/sessions/{session_uid}/fan"
    headers = {"Location": "https://elsewhere.test/"} if status == 302 else {}
    mocked.get(url, json={"error": f"problem {status}"}, status=status, headers=headers)
    with pytest.raises(expected) as caught:
        call()
    error = caught.value
    assert error.http_status == status
    assert error.message == f"problem {status}"
    assert error.body == {"error": f"problem {status}"}
    assert (error.endpoint, error.method, error.path) == (endpoint, "GET", path)
    assert str(error) == f"GET {path} [{status}]: problem {status}"
    # A redirect is reported, never followed.
    assert len(mocked.calls) == 1


def test_bad_request_keeps_the_api_message_from_text_bodies(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.post(
        BASE_URL + "api/v1/ent/businesses/2002/quests",
        body="quest_title is too long",
        status=400,
        content_type="text/plain",
    )
    with pytest.raises(BadRequest) as caught:
        client.create_quest(2002, quest_type="custom", quest_title="x" * 200)
    assert caught.value.message == "quest_title is too long"
    assert caught.value.body == "quest_title is too long"


def test_error_without_a_message_says_the_status(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(BASE_URL + "api/v1/businesses", body="", status=404)
    with pytest.raises(NotFound, match=r"HTTP 404"):
        client.businesses()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("<html>Welcome to nginx</html>", "text/html"), ("{not json", "application/json")],
)
def test_success_that_is_not_json_is_invalid_response(
    body: str, content_type: str, client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(BASE_URL + "api/v1/businesses", body=body, content_type=content_type)
    with pytest.raises(InvalidResponse, match="not JSON") as caught:
        client.businesses()
    assert caught.value.endpoint == "businesses"
    assert caught.value.http_status == 200


def test_wrong_shape_is_invalid_response_naming_field_and_endpoint(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.get(
        BASE_URL + "api/v1/ent/businesses/2002/quests",
        json=[{"quest_type": "custom", "quest_title": "No id"}],
    )
    with pytest.raises(InvalidResponse) as caught:
        client.quests(2002)
    assert "page_tab_id" in caught.value.message
    assert caught.value.endpoint == "quests"
    assert caught.value.path == "/api/v1/ent/businesses/{business_id}/quests"

    mocked.get(BASE_URL + "api/v1/businesses", json="surprise")
    with pytest.raises(InvalidResponse, match="expected a JSON array"):
        client.businesses()


def test_parse_errors_of_concurrent_calls_each_name_their_own_call(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    """The context travels with each call, not with the client or the thread."""
    mocked.get(BASE_URL + "api/v1/businesses", json=[{"business_name": "no id"}])
    mocked.get(BASE_URL + "api/v1/ent/businesses/2002/quests", json=[{"quest_title": "x"}])
    mocked.get(BASE_URL + "api/v1/crm/points", json=[{"point_name": "no uid"}])
    calls = {
        "businesses": client.businesses,
        "quests": lambda: client.quests(2002),
        "point_types": client.point_types,
    }
    for _ in range(5):
        results = client.run_concurrently(calls)
        for name, result in results.items():
            assert isinstance(result.error, InvalidResponse)
            assert result.error.endpoint == name


def test_unexpected_creation_answer_names_its_call(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.post(BASE_URL + "api/v1/ent/businesses/2002/fans/501/rewards", json=[1, 2])
    with pytest.raises(InvalidResponse, match="expected a JSON object") as caught:
        client.assign_reward(2002, 501, reward_uid="r")
    assert caught.value.endpoint == "fan_reward_assign"
    assert caught.value.method == "POST"


def test_connect_answer_of_unknown_shape_is_invalid_response(
    client: TbitsClient, mocked: responses.RequestsMock
) -> None:
    mocked.post(BASE_URL + "api/v1/sessions/connect", json={"status": "maybe"})
    with pytest.raises(InvalidResponse) as caught:
        client.connect_lookup(business_id=2002, email="a@b.c")
    assert caught.value.endpoint == "sessions_connect"


def test_errors_survive_pickling_with_their_attributes() -> None:
    error = RateLimited(
        "slow down",
        retry_after=30,
        http_status=429,
        endpoint="quests",
        method="GET",
        path="/x",
        body={"error": "slow down"},
    )
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(copy) is RateLimited
    assert (copy.retry_after, copy.http_status, copy.endpoint, str(copy)) == (
        30,
        429,
        "quests",
        str(error),
    )
