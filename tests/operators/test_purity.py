"""Validation and planning are pure: no Django, and no API call or other network use.

They may import ``tbits_client`` (its enums are the one vocabulary of the API), which is
pure Python too; what matters is that checking a file works without a Django project and
cannot reach the API, so an invalid file is refused before anything is sent.

Checked in a fresh interpreter, since the test process itself has Django loaded.
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
import json, socket, sys

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

programme = load_programme("examples/programme.toml")
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
    "modules": sorted(
        name for name in sys.modules
        if name.split(".")[0] in {"django", "accounts", "tbits_sandbox", "tbits_portal"}
    ),
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


def test_validation_and_planning_import_no_django_and_use_no_network() -> None:
    outcome = run_isolated()

    assert outcome["modules"] == []
    assert outcome["attempts"] == []
    # An account without the example's tiers, quests and rewards: planning really ran.
    assert outcome["blockers"] == []
    assert outcome["changes"]
