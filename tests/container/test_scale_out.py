"""Issue 19's scale-out: three portal containers of the image behind HAProxy, on the
machine's PostgreSQL (a database of the run's own, dropped after) and Redis (db 9), the
sandbox container as the API; virtual fans through the balancer, one replica killed
mid-run; the code-guess limit across replicas; two overlapping reward polls on two
replicas. One run (about two minutes) for the module, by loadtest.scale_out, whose
``python -m loadtest.scale_out`` prints the same figures (docs/reliability.md, "Scale-out").
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadtest.containers import IMAGE
from loadtest.scale_out import GUESS_LIMIT, ScaleOutResult, run_scale_out

# make container-test only (the root conftest deselects it without --container-image).
pytestmark = pytest.mark.container

FANS = 8
SECONDS = 60.0
#: The brief's bound for the whole run, setup and teardown included.
WALL_CLOCK_LIMIT = 180.0
Run = tuple[ScaleOutResult, dict[str, str], float]
REPORT = Path(__file__).resolve().parents[2] / "artifacts" / "scale-out.txt"


@pytest.fixture(scope="module")
def scale_out(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Run]:
    image = request.config.getoption("--container-image", default=None) or IMAGE
    started = time.monotonic()
    result, logs = run_scale_out(
        tmp_path_factory.mktemp("scale-out"), image=image, fans=FANS, seconds=SECONDS
    )
    elapsed = time.monotonic() - started
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(f"{result.text()}\nwall clock: {elapsed:.1f} s\n")
    yield result, logs, elapsed


def test_no_fan_session_is_lost_when_a_replica_dies(scale_out: Run) -> None:
    result, _, _ = scale_out
    assert result.load.logins >= FANS, "every fan logged in"
    assert result.load.sessions_lost == 0
    # The fans kept browsing: every surviving replica served them after the kill.
    assert result.served_before_kill[result.killed] > 0
    survivors = {k: v for k, v in result.served_after_kill.items() if k != result.killed}
    assert len(survivors) == result.replicas - 1 and all(survivors.values()), survivors


def test_only_requests_in_flight_on_the_killed_replica_can_fail(scale_out: Run) -> None:
    result, _, _ = scale_out
    assert 0 < result.killed_at_s < SECONDS
    assert result.errors_after_kill() == 0
    # At most one request per fan was in flight when the replica died.
    assert result.errors <= FANS, result.load.statuses


def test_no_replica_answered_a_500(scale_out: Run) -> None:
    result, logs, _ = scale_out
    assert result.load.server_errors <= result.errors
    for name, log in logs.items():
        assert "Internal Server Error" not in log, name


def test_code_guess_limit_is_exact_across_replicas(scale_out: Run) -> None:
    result, _, _ = scale_out
    guesses = result.guesses
    replicas = {name for name, _ in guesses.answers}
    assert len(replicas) == result.replicas, "the guesses went to every replica"
    statuses = [status for _, status in guesses.answers]
    assert statuses[:GUESS_LIMIT] == [200] * GUESS_LIMIT, statuses
    assert statuses[GUESS_LIMIT] == 429 and int(guesses.retry_after) > 0
    assert guesses.exact


def test_two_overlapping_polls_on_two_replicas_deliver_each_reward_once(scale_out: Run) -> None:
    result, _, _ = scale_out
    polls = result.polls
    assert {run["replica"] for run in polls.runs} <= set(result.served_after_kill)
    assert len({run["replica"] for run in polls.runs}) == 2 and polls.overlap_seconds > 0
    assert polls.rows > 0 and polls.rows == polls.distinct == polls.announced_rows
    assert sum(run["new"] for run in polls.runs) == polls.rows
    assert sum(run["announced"] for run in polls.runs) == polls.rows
    assert polls.third_run["new"] == polls.third_run["announced"] == 0
    assert polls.once_each


def test_the_run_is_bounded(scale_out: Run) -> None:
    result, _, elapsed = scale_out
    assert result.load.duration < SECONDS + 15
    assert elapsed < WALL_CLOCK_LIMIT, f"{elapsed:.0f} s"
