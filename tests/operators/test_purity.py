"""Validation and planning make no API call or other network use.

Checking a setup file must not be able to reach the API, so an invalid file is refused
before anything is sent. That they import no Django is an import contract
(``make lint``, pyproject.toml), not a test.

Run in a fresh interpreter, so nothing the test process set up can be used by accident.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Every way out of the process is refused and recorded, so a call that an except clause
# swallows (the client's retries turn socket errors into its own) is still seen.
SCRIPT = """
import json, socket

attempts = []

def refuse(name):
    def refused(*args, **kwargs):
        attempts.append(name)
        raise OSError(f"network use during validation or planning: {name}")
    return refused

socket.socket.connect = refuse("connect")
socket.socket.connect_ex = refuse("connect_ex")
socket.socket.sendto = refuse("sendto")
socket.create_connection = refuse("create_connection")
socket.getaddrinfo = refuse("getaddrinfo")

from loyalty.programme.validation import load_programme
from loyalty.programme.planner import AccountState, CurrentBusiness, Named, plan_changes
from loyalty.programme.render import render_plan

programme = load_programme("loyalty/programme/example.toml")
account = AccountState(
    businesses=(CurrentBusiness(1, "Harbour City FC", "p-1", "Fan Points"),),
    point_types=(Named("p-1", "Fan Points"),),
    performances=(
        Named("e-1", "Harbour City FC vs Northside United"),
        Named("e-2", "Half-time Live: The Tide"),
    ),
    idols=(Named("i-1", "The Tide"),),
)
plan = plan_changes(programme, account, business_id=1)
render_plan(plan)
print(json.dumps({
    "blockers": list(plan.blockers),
    "changes": len(plan.changes),
    "attempts": attempts,
}))
"""


def run_isolated() -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_validation_and_planning_use_no_network() -> None:
    outcome = run_isolated()

    assert outcome["attempts"] == []
    # An account without the example's tiers, quests and rewards: planning really ran.
    assert outcome["blockers"] == []
    assert outcome["changes"]
