"""Every Python example of the provider's docs runs, as written, against the sandbox.

The examples are extracted from the reference text files programmatically (a new or
changed example is picked up, and a change in how many there are fails the test). Only
the host, the placeholder keys and ids, and the values a fan would read in their inbox
(the verification code) are swapped; the code itself is executed unchanged, in order,
sharing one namespace per document as a reader following the guide would.
api-reference.txt holds no Python example (asserted below), only field tables.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.tbits_sandbox.provider_page import sign_in

# The provider's docs, as published (the sandbox's specification): the copy in
# docs/provider/, or wherever TBITS_REFERENCE_DIR says (to check a newer edition).
REFERENCE = Path(
    os.environ.get("TBITS_REFERENCE_DIR", Path(__file__).resolve().parents[2] / "docs" / "provider")
)
PROVIDER_ROOT = "https://nest.tradablebits.com/"
# A line that can belong to a Python example (prose lines start with a capital or a label).
CODE_LINE = re.compile(
    r"""^(import\ |from\ |def\ |if\ |elif\ |else:|for\ |print\(|[a-z_][a-z_0-9]*\ =\ |
    [a-z_]+\[|\#|\s+\S|[}\])]|"[a-z_]+":)""",
    re.VERBOSE,
)

pytestmark = pytest.mark.django_db(transaction=True)


def python_examples(text: str) -> list[str]:
    """The runnable Python examples of a document: runs of code lines that parse."""
    lines = text.splitlines()
    runs: list[list[str]] = []
    current: list[str] = []
    for index, line in enumerate(lines):
        if CODE_LINE.match(line):
            current.append(line)
            continue
        if not line.strip() and current:
            following = next((rest for rest in lines[index + 1 :] if rest.strip()), "")
            if CODE_LINE.match(following):
                current.append(line)
                continue
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    examples = []
    for run in runs:
        source = "\n".join(run).strip("\n")
        try:
            ast.parse(source)
        except SyntaxError:
            continue  # an indented bullet list or a table row, not an example
        if "requests." in source:
            examples.append(source)
    return examples


@dataclass(frozen=True)
class Example:
    """One example and what it printed."""

    source: str
    output: str


def run_examples(
    examples: list[str],
    *,
    swaps: Mapping[str, str],
    late_swaps: Callable[[int, dict[str, Any]], Mapping[str, str]],
    namespace: dict[str, Any],
) -> list[Example]:
    """Execute each example after swapping placeholders; every HTTP answer must be 200."""
    ran = []
    for index, original in enumerate(examples):
        source = original
        for placeholder, value in {**swaps, **late_swaps(index, namespace)}.items():
            source = source.replace(placeholder, value)
        namespace.pop("res", None)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, f"<example {index}>", "exec"), namespace)  # noqa: S102
        output = printed.getvalue()
        assert "Error:" not in output and "Invalid login" not in output, (source, output)
        if "res" in namespace:
            response = namespace["res"]
            assert response.status_code == 200, (source, response.text)
        ran.append(Example(source, output))
    return ran


def common_swaps(live_sandbox: Any) -> dict[str, str]:
    """Host and account placeholders, as every example writes them."""
    s = live_sandbox
    return {
        PROVIDER_ROOT: s.base_url,
        "your-api-key": s.api_key,
        "YOUR_API_KEY": s.api_key,
        "YOUR_API_SECRET": s.api_secret,
        "your-business-id": s.business_id,
        "YOUR_BUSINESS_ID": s.business_id,
        "your-account-id": s.account_id,
        "YOUR_ACCOUNT_ID": s.account_id,
        "business_id = 12345": f"business_id = {s.business_id}",
        "your-label": "harbour-city",
    }


def inbox_code(base_url: str) -> Callable[[str], str]:
    """Read the newest code for an address from the sandbox outbox, as a fan would."""

    def read(address: str) -> str:
        messages = requests.get(f"{base_url}outbox.json", timeout=10).json()
        return next(m["code"] for m in messages if m["to"] == address and m["code"])

    return read


def test_api_reference_has_no_python_example() -> None:
    assert python_examples((REFERENCE / "api-reference.txt").read_text()) == []


def test_website_integration_examples_run_as_written(live_sandbox: Any) -> None:
    s = live_sandbox
    text = (REFERENCE / "website-integration.txt").read_text()
    examples = python_examples(text)
    assert len(examples) == 14
    read_code = inbox_code(s.base_url)
    # Steps 1-4 follow a fan who is new to the account, as the guide's story goes.
    newcomer = "new-fan@example.com"

    def late(index: int, ns: dict[str, Any]) -> dict[str, str]:
        swaps: dict[str, str] = {}
        if 2 <= index <= 5:
            swaps['"fan@example.com"'] = f'"{newcomer}"'
        if index == 4:
            swaps['"49270"'] = f'"{read_code(newcomer)}"'
        if index in {4, 5}:
            swaps["request-uid-from-step-2"] = ns["request_uid"]
        if index == 5:
            swaps["verification-uid-from-step-3"] = ns["result"]["verification_uid"]
        if index == 6:
            swaps['"fan@example.com"'] = f'"{s.fan_email}"'
            swaps["their-password"] = s.fan_password
        if index >= 7:
            swaps["session-uid-from-login"] = ns["session_uid"]
            swaps['"idol-uid"'] = f'"{s.idols["The Tide"]}"'
        return swaps

    callbacks: list[tuple[str, Any]] = []
    namespace: dict[str, Any] = {
        "requests": requests,
        "handle_error": lambda error: callbacks.append(("error", error)),
        "handle_session": lambda uid, fan: callbacks.append(("session", fan)),
    }
    ran = run_examples(examples, swaps=common_swaps(s), late_swaps=late, namespace=namespace)

    assert namespace["legal_terms"] and namespace["image_url"].startswith(s.base_url)
    assert "Fan not found — proceed to registration" in ran[2].output
    assert "Verification code has been sent to" in ran[3].output
    assert "Verification successful, registration required" in ran[4].output
    assert "Registered and logged in:" in ran[5].output
    assert "Login successful:" in ran[6].output
    assert namespace["fan_id"] == s.fan_id
    assert f"'fan_id': {s.fan_id}" in ran[8].output
    assert namespace["res"].json()["idol_uid"] == s.idols["The Tide"]

    # The OAuth link of step 1, then the callback of step 2 with what the provider returned.
    (link,) = re.findall(r'<a href="([^"]+)">', text)
    for placeholder, value in common_swaps(s).items():
        link = link.replace(placeholder, value)
    redirect = parse_qs(urlsplit(link).query)["redirect_url"][0]
    assert redirect == "https://www.example.com/auth_callback"
    query = sign_in(link, email=s.fan_email, read_code=read_code)

    @dataclass(frozen=True)
    class FlaskLikeRequest:
        args: dict[str, str]

    namespace["process_callback"](FlaskLikeRequest(args={"code": query["code"][0]}))
    assert callbacks == [("session", s.fan_id)]
    namespace["process_callback"](FlaskLikeRequest(args={"error": "access_denied"}))
    assert callbacks[-1] == ("error", "access_denied")


def test_loyalty_portal_examples_run_as_written(live_sandbox: Any) -> None:
    s = live_sandbox
    examples = python_examples((REFERENCE / "loyalty-portal-integration.txt").read_text())
    assert len(examples) == 16
    read_code = inbox_code(s.base_url)
    quest_to_complete = s.quests["Visit the club shop"]
    manual_reward = s.rewards["Wristband Upgrade"]

    def late(index: int, ns: dict[str, Any]) -> dict[str, str]:
        return {
            "YOUR_POINT_UID": s.point_uid,
            "BUSINESS_POINT_UID": s.point_uid,
            "YOUR_TIER_UID": s.tiers["Bronze"],
            '"fan@example.com"': f'"{s.fan_email}"',
            '"fanpassword"': f'"{s.fan_password}"',
            # The code the fan received: read from the outbox once the example asked for it.
            '"49270"': "__inbox__(email)",
            "page_tab_id = 67890": f"page_tab_id = {quest_to_complete}",
            "REWARD_UID": manual_reward,
        }

    namespace: dict[str, Any] = {"requests": requests, "__inbox__": read_code}
    ran = run_examples(examples, swaps=common_swaps(s), late_swaps=late, namespace=namespace)

    assert f"point_uid: {s.point_uid}" in ran[0].output
    assert f"point_tier_uid: {s.tiers['Bronze']}" in ran[1].output
    assert "page_tab_id:" in ran[2].output and "reward_uid:" in ran[3].output
    assert "Existing fan — login required" in ran[4].output
    assert namespace["fan_id"] == s.fan_id
    assert f"{s.business_id} {s.business_name}" in ran[7].output
    assert "Bronze 100" in ran[8].output and "Platinum 5000" in ran[8].output
    assert namespace["fan_tier"]["tier_name"] == "Bronze"
    assert {q["quest_title"] for q in namespace["quests"]} >= set(s.quests)
    assert set(namespace["completions"]) == {str(q["page_tab_id"]) for q in namespace["quests"]}
    assert "activity_id:" in ran[12].output
    titles = {update["reward_title"] for update in namespace["updates"]}
    assert {"Wristband Upgrade", "Bronze Member Badge", "Bronze Badge"} <= titles
