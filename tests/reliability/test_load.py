"""The load client against the portal under gunicorn: no 500s, ever; the soak behind a flag.

The short run is what ``make test`` does: a few seconds of virtual fans logging in and
browsing while the sandbox adds latency, fails a share of calls at random and fails the
leaderboard always. The soak (``pytest --soak`` or ``TBITS_SOAK=1``) runs the same for
minutes and also watches the portal's memory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from loadtest.__main__ import internal_errors, parser, run

FAULTS = r"/crm/leaderboard$=503"


def test_short_load_run_under_faults_has_no_500s(tmp_path: Path) -> None:
    args = parser().parse_args(
        [
            "--fans", "6",
            "--seconds", "8",
            "--max-requests", "3000",
            "--latency-ms", "20",
            "--error-rate", "0.05",
            "--faults", FAULTS,
            "--think-ms", "20",
        ]
    )  # fmt: skip
    report, logs = run(args, tmp_path)
    assert report.server_errors == 0, report.text()
    assert report.no_answer == 0, report.text()
    assert not internal_errors(logs), internal_errors(logs)
    assert report.logins >= 3, report.text()
    assert report.statuses.get("200", 0) >= 30, report.text()  # it did browse
    # The always-failing leaderboard was answered with the friendly page: faults were on.
    assert report.pages()["leaderboard"]["statuses"].get("503", 0) > 0, report.text()


@pytest.mark.soak
def test_soak_keeps_answering_and_memory_levels_off(tmp_path: Path) -> None:
    seconds = os.environ.get("TBITS_SOAK_SECONDS", "600")
    args = parser().parse_args(
        [
            "--fans", "12",
            "--seconds", seconds,
            "--max-requests", "500000",
            "--latency-ms", "25",
            "--error-rate", "0.02",
            "--faults", FAULTS,
            "--think-ms", "50",
        ]
    )  # fmt: skip
    report, logs = run(args, tmp_path)
    if os.environ.get("TBITS_SOAK_REPORT"):
        Path(os.environ["TBITS_SOAK_REPORT"]).write_text(json.dumps(report.as_dict(), indent=2))
    print(report.text())
    assert report.server_errors == 0 and report.no_answer == 0, report.text()
    assert not internal_errors(logs)
    # After warming up (the first tenth), the portal's memory must level off, not climb.
    timeline = report.memory
    settled = timeline[len(timeline) // 10].portal_kib
    assert timeline[-1].portal_kib <= settled * 1.25, report.memory_summary()
