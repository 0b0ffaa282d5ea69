"""``manage.py tbits_check`` against the live sandbox: one distinct message per failure.

Each scenario breaks one thing and expects exactly one problem, with its own code, its
own wording and a "What to do" line; everything after the broken step is skipped rather
than reported as more failures.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
from collections.abc import Callable
from typing import Any

import pytest

from tests.operators.conftest import FreshBusiness, Run

RunCommand = Callable[..., Run]


def problem_codes(run: Run) -> list[str]:
    return re.findall(r"^  PROBLEM  \[([^\]]+)\]", run.stdout, flags=re.MULTILINE)


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.sandbox_full  # "is assigned": the business's own point_uid, an extra field
def test_all_is_well_with_the_seeded_account(live_sandbox: Any, run_command: RunCommand) -> None:
    run = run_command("tbits_check", "--skip-system-checks")

    assert run.ok, run.stdout
    assert problem_codes(run) == []
    assert "ok       The API answers at" in run.stdout
    assert "ok       Business 2002 (Harbour City FC)." in run.stdout
    assert "ok       Point type 'Fan Points' is assigned." in run.stdout
    assert "ok       4 tiers: Bronze 100, Silver 500, Gold 1,500, Platinum 5,000." in run.stdout
    assert run.stdout.rstrip().endswith("All is well.")


@pytest.mark.sandbox_full
def test_the_undocumented_fields_the_api_answers_are_reported(
    live_sandbox: Any, run_command: RunCommand
) -> None:
    run = run_command("tbits_check", "--skip-system-checks")

    line = next(line for line in run.stdout.splitlines() if "also answers" in line)
    assert "businesses.point_uid" in line and "rewards.delivered_count" in line


def test_documented_answers_only_the_point_type_is_the_account_only_one(
    live_sandbox: Any, run_command: RunCommand, settings: Any
) -> None:
    """No documented answer names the business's point type.

    "Link the point type to the business. In the admin UI, go to Business > Fan Loyalty
    Portal" (loyalty-portal-integration.txt, Setup Process, Step 2): the API cannot be asked
    which one, and "Get a list of businesses" prints no point field.
    """
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True
    run = run_command("tbits_check", "--skip-system-checks")

    assert run.ok, run.stdout
    assert "ok       Point type 'Fan Points' (the account's only point type)." in run.stdout
    assert "The API answers only documented fields" in run.stdout
    assert run.stdout.rstrip().endswith("All is well.")


def test_several_point_types_on_documented_answers_ask_for_the_setting(
    fresh_business: FreshBusiness, run_command: RunCommand, settings: Any
) -> None:
    from tbits_sandbox.models import PointTypeRecord

    PointTypeRecord.objects.create(account_id=fresh_business.account_id, point_name="Club XP")
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True

    ambiguous = run_command("tbits_check", "--skip-system-checks")
    assert problem_codes(ambiguous) == ["point-type-ambiguous"]
    assert "Set TBITS['POINT_TYPE']" in ambiguous.stdout

    settings.TBITS = {**settings.TBITS, "POINT_TYPE": "Club XP"}
    named = run_command("tbits_check", "--skip-system-checks")
    assert "ok       Point type 'Club XP' (named by TBITS['POINT_TYPE'])." in named.stdout

    settings.TBITS = {**settings.TBITS, "POINT_TYPE": "Loyalty XP"}
    unknown = run_command("tbits_check", "--skip-system-checks")
    assert problem_codes(unknown) == ["point-type-unknown"]


# (scenario id, TBITS overrides, expected code, a phrase only that problem says)
# Scenarios that rest on a field the reference does not document (the business's account_id).
NEEDS_EXTRAS = {"account-id-of-another-account"}

SETTING_SCENARIOS = [
    (
        "unreachable-host",
        {"API_BASE_URL": "http://127.0.0.1:{closed}/"},
        "unreachable",
        "Cannot reach the API at http://127.0.0.1:{closed}/",
    ),
    (
        "wrong-path",
        {"API_BASE_URL": "{live}/not-the-api/"},
        "not-found",
        "The API answered 404 Not Found for /api/v1/status",
    ),
    (
        "wrong-key",
        {"API_KEY": "not-a-real-key"},
        "bad-key",
        "The API refused the API key (401 on /api/v1/status).",
    ),
    (
        "wrong-secret",
        {"API_SECRET": "not-the-real-secret-5150"},
        "bad-secret",
        "The API accepted the key but refused the API secret",
    ),
    (
        "business-not-in-account",
        {"BUSINESS_ID": "424242"},
        "business-missing",
        "Business 424242 is not in this account. The account's businesses: 2002 (Harbour City FC).",
    ),
    (
        "account-id-of-another-account",
        {"ACCOUNT_ID": "999"},
        "account-mismatch",
        "TBITS['ACCOUNT_ID'] is 999, but the API key belongs to account 1001.",
    ),
    (
        "no-secret",
        {"API_SECRET": ""},
        "missing-api-secret",
        "TBITS['API_SECRET'] is not set.",
    ),
    (
        "no-key",
        {"API_KEY": ""},
        "missing-api-key",
        "TBITS['API_KEY'] is not set.",
    ),
    (
        "business-id-not-a-number",
        {"BUSINESS_ID": "harbour-city"},
        "invalid-business-id",
        "TBITS['BUSINESS_ID'] is 'harbour-city', which is not a number.",
    ),
    (
        "plain-http-to-a-remote-host",
        {"API_BASE_URL": "http://api.example.com/"},
        "invalid-settings",
        "The API client cannot be built from TBITS: base_url must use https",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "code", "phrase"),
    [
        pytest.param(o, c, p, id=i, marks=[pytest.mark.sandbox_full] if i in NEEDS_EXTRAS else [])
        for i, o, c, p in SETTING_SCENARIOS
    ],
)
def test_each_broken_setting_is_one_distinct_problem(
    live_sandbox: Any,
    live_server: Any,
    settings: Any,
    run_command: RunCommand,
    overrides: dict[str, str],
    code: str,
    phrase: str,
) -> None:
    closed = closed_port()
    values = {
        key: value.format(closed=closed, live=live_server.url) for key, value in overrides.items()
    }
    settings.TBITS = {**settings.TBITS, **values}

    run = run_command("tbits_check", "--skip-system-checks")

    assert run.error is not None and "1 problem found" in run.error
    assert problem_codes(run) == [code]
    assert phrase.format(closed=closed, live=live_server.url) in run.stdout
    assert "What to do: " in run.stdout
    # The other scenarios' wording never shows up for this one.
    for _, _, other_code, other_phrase in SETTING_SCENARIOS:
        if other_code != code:
            assert other_phrase.split(" {")[0].split("{")[0][:40] not in run.stdout


def test_a_business_without_point_type(
    make_business: Callable[..., FreshBusiness], run_command: RunCommand
) -> None:
    business = make_business(with_point_type=False)

    run = run_command("tbits_check", "--skip-system-checks")

    assert problem_codes(run) == ["no-point-type"]
    assert f"Business {business.business_id} has no point type assigned" in run.stdout
    assert "Business > Fan Loyalty Portal" in run.stdout


def test_a_point_type_without_tiers(fresh_business: FreshBusiness, run_command: RunCommand) -> None:
    run = run_command("tbits_check", "--skip-system-checks")

    assert problem_codes(run) == ["no-tiers"]
    assert "Point type 'Fan Points' has no tiers" in run.stdout
    assert "tbits_setup" in run.stdout


def test_tiers_set_up_by_tbits_setup_satisfy_the_check(
    fresh_business: FreshBusiness, run_command: RunCommand
) -> None:
    from tests.operators.conftest import EXAMPLE

    assert run_command("tbits_setup", str(EXAMPLE)).ok

    run = run_command("tbits_check", "--skip-system-checks")

    assert run.ok, run.stdout
    assert f"Business {fresh_business.business_id} (Setup FC 1)." in run.stdout


def test_system_check_errors_are_reported_too(
    live_sandbox: Any, settings: Any, run_command: RunCommand
) -> None:
    settings.TBITS = {**settings.TBITS, "API_SECRETT": "typo"}

    run = run_command("tbits_check")

    assert "system-check:tbits_accounts.E003" in problem_codes(run)
    assert "Unknown TBITS keys: API_SECRETT." in run.stdout
    assert run.error is not None


def test_no_secret_reaches_the_output(
    live_sandbox: Any, settings: Any, run_command: RunCommand
) -> None:
    real_secret = settings.TBITS["API_SECRET"]
    settings.TBITS = {**settings.TBITS, "API_SECRET": "wrong-secret-value-8675309"}

    run = run_command("tbits_check", "--skip-system-checks")

    assert problem_codes(run) == ["bad-secret"]
    assert "wrong-secret-value-8675309" not in run.stdout + run.stderr + str(run.error)
    assert real_secret not in run.stdout + run.stderr + str(run.error)
    assert settings.TBITS["API_KEY"] not in run.stdout


def warning_codes(run: Run) -> list[str]:
    return re.findall(r"^  warning  \[([^\]]+)\]", run.stdout, flags=re.MULTILINE)


def test_campaign_quests_with_nowhere_to_send_a_fan_are_a_warning(
    live_sandbox: Any, run_command: RunCommand, settings: Any
) -> None:
    # Issue 16 item 5: without CAMPAIGN_URL the seeded poll and prediction have no button.
    run = run_command("tbits_check", "--skip-system-checks")
    assert run.ok, run.stdout  # a warning, not a problem: the portal still works
    assert warning_codes(run) == ["campaign-url"]  # and the seed's event quests all open
    line = next(line for line in run.stdout.splitlines() if "[campaign-url]" in line)
    assert "'Matchday poll'" in line and "'Predict the score'" in line
    assert "TBITS['CAMPAIGN_URL']" in run.stdout

    settings.TBITS = {**settings.TBITS, "CAMPAIGN_URL": "https://play.example/{target_page_tab_id}"}
    run = run_command("tbits_check", "--skip-system-checks")
    assert "campaign-url" not in warning_codes(run)


def test_a_quest_whose_dates_miss_its_event_is_a_warning(
    live_sandbox: Any, run_command: RunCommand
) -> None:
    # Such a quest can never be completed, so the board leaves it out: only this says so.
    from tbits_sandbox.models import Quest

    party = Quest.objects.get(page_tab_id=live_sandbox.quests["Season finale watch party"])
    party.start_date = party.performance.performance_date + dt.timedelta(days=10)
    party.end_date = party.start_date + dt.timedelta(days=5)
    party.save()
    run = run_command("tbits_check", "--skip-system-checks")
    assert run.ok, run.stdout  # a warning, not a problem: the portal still works
    assert "quest-never-opens" in warning_codes(run)
    line = next(line for line in run.stdout.splitlines() if "[quest-never-opens]" in line)
    assert "'Season finale watch party (event Half-time Live: The Tide)'" in line
    assert "Move each quest's dates to overlap its event" in run.stdout
