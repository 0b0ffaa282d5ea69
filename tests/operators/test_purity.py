"""Validation and planning are pure: they import neither Django nor the API client.

Checked in a fresh interpreter, since the test process itself has both loaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_validation_and_planning_load_without_django_or_the_client() -> None:
    script = (
        "import sys\n"
        "import loyalty.programme.validation, loyalty.programme.planner\n"
        "import loyalty.programme.params, loyalty.programme.render\n"
        "from loyalty.programme.validation import load_programme\n"
        "from loyalty.programme.planner import AccountState, plan_changes\n"
        "programme = load_programme('examples/programme.toml')\n"
        "plan_changes(programme, AccountState(), business_id=1)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'tbits_client', 'requests', 'accounts', 'tbits_sandbox'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "[]"
