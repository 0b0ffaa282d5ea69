"""``python -m loadtest.scale_out``: three portal containers behind HAProxy, one killed.

The run (bounded: about two minutes, loopback only, see :mod:`loadtest.containers`):

1. **The code-guess limit across replicas.** One attacker's session guesses a fan's code
   on each replica in turn. The per-contact limit (``code_submit``, 10 in 10 minutes) is
   counted in the shared Redis, so exactly that many guesses reach the API and the next
   one is refused, whichever replica receives it.
2. **A replica killed under load.** Virtual fans (:mod:`loadtest.fans`) log in and browse
   through the balancer; a third of the way in one replica is killed with SIGKILL. The
   figures: requests, errors, latency, and fan sessions lost (a logged-in fan sent back to
   the login page), which must be 0: sessions live in PostgreSQL and Redis, not in a
   replica.
3. **Two reward polls at once on two replicas.** ``tbits_poll_rewards`` started on two
   surviving replicas at the same moment: every delivery of the feed is recorded once and
   announced once, and a third poll finds nothing new.

Exit status 1 when any of those does not hold. docs/reliability.md ("Scale-out") holds the
figures of a run; tests/container/test_scale_out.py runs it in ``make container-test``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from loadtest.containers import IMAGE, REDIS_URL, Replicas, start_replicas
from loadtest.fans import Browser, Report, outbox_reader, run_fans
from loadtest.podman import Container

#: The per-contact code_submit limit of accounts.app_settings.DEFAULT_RATE_LIMITS
#: ("10/10m/key"): guesses of one contact's codes per fixed 10-minute window.
GUESS_LIMIT = 10
GUESS_WINDOW = 600
#: Wrong tries a code allows (TBITS CODE_MAX_ATTEMPTS) before the fan must ask for another.
TRIES_PER_CODE = 3
_REQUEST_LINE = re.compile(r" INFO tbits\.request (?:GET|POST) (?!/readyz )/\S* \d{3} ")
_POLL = re.compile(
    r"(?P<received>\d+) received, (?P<new>\d+) new, (?P<updated>\d+) updated, "
    r"(?P<announced>\d+) announced"
)


@dataclass
class GuessCheck:
    """Which replica received each guess, and what it answered."""

    answers: list[tuple[str, int | str]] = field(default_factory=list)
    retry_after: str = ""

    @property
    def reached_api(self) -> int:
        return sum(1 for _, status in self.answers if status != 429)

    @property
    def exact(self) -> bool:
        """The first GUESS_LIMIT guesses went through, the next one was refused."""
        statuses = [status for _, status in self.answers]
        return (
            len(statuses) == GUESS_LIMIT + 1
            and 429 not in statuses[:GUESS_LIMIT]
            and statuses[GUESS_LIMIT] == 429
        )


@dataclass
class PollCheck:
    """Two overlapping polls on two replicas, then a third, and the database after."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    overlap_seconds: float = 0.0
    rows: int = 0
    distinct: int = 0
    announced_rows: int = 0
    third_run: dict[str, Any] = field(default_factory=dict)

    @property
    def once_each(self) -> bool:
        received = {run["received"] for run in self.runs}
        return (
            len(self.runs) == 2
            and self.overlap_seconds > 0
            and len(received) == 1
            and self.rows > 0
            and self.rows == self.distinct == self.announced_rows
            and sum(run["new"] for run in self.runs) == self.rows
            and sum(run["announced"] for run in self.runs) == self.rows
            and self.third_run.get("new") == 0
            and self.third_run.get("announced") == 0
        )


@dataclass
class ScaleOutResult:
    """What one run measured."""

    replicas: int
    killed: str
    #: When the replica was killed: seconds into the load, and the monotonic clock's time
    #: (the samples' ``started`` use that clock).
    killed_at_s: float
    killed_at: float
    load: Report
    served_before_kill: dict[str, int]
    served_after_kill: dict[str, int]
    guesses: GuessCheck
    polls: PollCheck

    @property
    def errors(self) -> int:
        """Requests a fan got no page for: any 5xx (the balancer's included), or no answer."""
        return sum(
            1
            for sample in self.load.samples
            if not isinstance(sample.status, int) or sample.status >= 500
        )

    def errors_after_kill(self) -> int:
        """Errors of requests that started after the kill: the balancer must route around a
        dead replica, so only requests in flight on it when it died may fail."""
        return sum(
            1
            for sample in self.load.samples
            if sample.started > self.killed_at
            and (not isinstance(sample.status, int) or sample.status >= 500)
        )

    def failures(self) -> list[str]:
        found = []
        if self.errors_after_kill():
            found.append(f"{self.errors_after_kill()} errors on requests sent after the kill")
        if self.load.sessions_lost:
            found.append(f"{self.load.sessions_lost} fan sessions lost")
        if not self.guesses.exact:
            found.append(f"code-guess limit not exact: {self.guesses.answers}")
        if not self.polls.once_each:
            found.append(f"polls did not deliver each reward once: {asdict(self.polls)}")
        survivors = [name for name in self.served_after_kill if name != self.killed]
        if not all(self.served_after_kill[name] > 0 for name in survivors):
            found.append(f"a surviving replica served nothing after the kill: {survivors}")
        if self.served_before_kill.get(self.killed, 0) == 0:
            found.append("the killed replica served nothing before it died")
        return found

    def text(self) -> str:
        latency = self.load.latency()
        statuses = ", ".join(f"{k}: {v}" for k, v in self.load.statuses.items())
        runs = "; ".join(
            f"{run['replica']}: {run['received']} received, {run['new']} new, "
            f"{run['announced']} announced"
            for run in self.polls.runs
        )
        return "\n".join(
            [
                f"replicas: {self.replicas}; {self.killed} killed (SIGKILL) at "
                f"{self.killed_at_s:.1f} s",
                f"settings: {json.dumps(self.load.settings, sort_keys=True)}",
                f"requests: {len(self.load.samples)} in {self.load.duration:.1f} s "
                f"({self.load.throughput:.1f} req/s); statuses: {statuses}",
                f"errors (5xx or no answer): {self.errors}, of requests sent after the kill: "
                f"{self.errors_after_kill()}; latency ms: p50 "
                f"{latency.get('p50')}, p95 {latency.get('p95')}, p99 {latency.get('p99')}, "
                f"max {latency.get('max')}",
                f"fans: logins {self.load.logins}, failed login attempts "
                f"{self.load.login_failures}, sessions lost {self.load.sessions_lost}",
                f"requests served per replica before the kill: {self.served_before_kill}; "
                f"after: {self.served_after_kill}",
                f"code guesses: {len(self.guesses.answers)} over replicas "
                f"{sorted({name for name, _ in self.guesses.answers})}; reached the API "
                f"{self.guesses.reached_api}, answers {[s for _, s in self.guesses.answers]}, "
                f"Retry-After {self.guesses.retry_after} s; exact: {self.guesses.exact}",
                f"two polls at once (overlapping {self.polls.overlap_seconds:.2f} s): {runs}; "
                f"rows {self.polls.rows}, distinct {self.polls.distinct}, announced "
                f"{self.polls.announced_rows}; a third poll: {self.polls.third_run.get('new')} "
                f"new, {self.polls.third_run.get('announced')} announced; once each: "
                f"{self.polls.once_each}",
            ]
        )


def _served(container: Container) -> int:
    """Requests the replica logged (one INFO line per request)."""
    return len(_REQUEST_LINE.findall(container.logs()))


def check_guess_limit(run: Replicas) -> GuessCheck:
    """GUESS_LIMIT + 1 wrong guesses at one contact's codes, round robin over the replicas,
    with one browser session (one attacker)."""
    # The limit counts fixed windows: an attack straddling two would get two allowances.
    into_window = time.time() % GUESS_WINDOW
    if into_window > GUESS_WINDOW - 20:
        time.sleep(GUESS_WINDOW - into_window + 0.5)
    read_code = outbox_reader(run.sandbox.port if run.sandbox else 0)
    contact = f"guess-{uuid.uuid4().hex[:8]}@example.com"
    cookies: dict[str, str] = {}
    browsers = []
    for portal in run.portals:
        browser = Browser(portal.port, record=lambda sample: None)
        browser.cookies = cookies  # one session, every replica
        browsers.append((portal.name, browser))
    result = GuessCheck()
    for turn in range(GUESS_LIMIT + 1):
        name, browser = browsers[turn % len(browsers)]
        if turn % TRIES_PER_CODE == 0:
            browser.request("login form", "GET", "/accounts/login/")
            browser.request("send code", "POST", "/accounts/login/", {"contact": contact})
        real = read_code(contact) or "00000"
        wrong = f"{(int(real) + 7 + turn) % 100000:05d}"
        browser.request("code form", "GET", "/accounts/login/code/")
        status, _, _ = browser.request("guess", "POST", "/accounts/login/code/", {"code": wrong})
        result.answers.append((name, status))
        if status == 429:
            result.retry_after = dict(browser.last_headers).get("Retry-After", "")
    for _, browser in browsers:
        browser.close()
    return result


def _poll_summary(output: str) -> dict[str, Any]:
    found = _POLL.search(output)
    if not found:
        raise RuntimeError(f"tbits_poll_rewards said: {output[-2000:]}")
    return {name: int(value) for name, value in found.groupdict().items()}


def _deliveries(run: Replicas) -> tuple[int, int, int]:
    import psycopg

    with psycopg.connect(run.database_url, connect_timeout=5) as db:
        row = db.execute(
            "SELECT count(*), count(DISTINCT (feed, delivery_key)), count(notified_at) "
            "FROM tbits_loyalty_rewarddelivery"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def check_overlapping_polls(run: Replicas, first: Container, second: Container) -> PollCheck:
    """Start ``tbits_poll_rewards`` on two replicas at once (reading the whole feed)."""
    since = ("--since", "2000-01-01")
    result = PollCheck()
    ended: dict[str, float] = {}
    outputs: dict[str, tuple[int, str]] = {}

    def wait(name: str, process: subprocess.Popen[str]) -> None:
        output, _ = process.communicate(timeout=120)
        ended[name] = time.monotonic()
        outputs[name] = (process.returncode, output)

    started = time.monotonic()
    waiters = [
        threading.Thread(target=wait, args=(c.name, c.manage("tbits_poll_rewards", *since)))
        for c in (first, second)
    ]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join(timeout=130)
    for name in (first.name, second.name):
        status, output = outputs.get(name, (-1, "did not finish"))
        if status != 0:
            raise RuntimeError(f"tbits_poll_rewards on {name} failed:\n{output[-2000:]}")
        result.runs.append({"replica": name, **_poll_summary(output)})
    # Both began together; they ran side by side until the first one ended.
    result.overlap_seconds = min(ended.values()) - started
    result.rows, result.distinct, result.announced_rows = _deliveries(run)
    third = first.manage("tbits_poll_rewards", *since)
    output, _ = third.communicate(timeout=120)
    result.third_run = {"replica": first.name, **_poll_summary(output)}
    return result


def run_scale_out(
    workdir: Path,
    *,
    image: str = IMAGE,
    replicas: int = 3,
    fans: int = 8,
    seconds: float = 60.0,
    max_requests: int = 20_000,
    think_ms: int = 50,
    latency_ms: int = 25,
    cache_url: str = REDIS_URL,
) -> tuple[ScaleOutResult, dict[str, str]]:
    """One whole run; its result and every server's log."""
    run = start_replicas(
        workdir, image=image, replicas=replicas, latency_ms=latency_ms, cache_url=cache_url
    )
    try:
        guesses = check_guess_limit(run)
        victim = run.portals[1]
        kill_after = seconds / 3
        before: dict[str, int] = {}
        killed_at: list[float] = []

        def kill() -> None:
            time.sleep(kill_after)
            killed_at.append(time.monotonic())
            victim.kill()
            before.update({portal.name: _served(portal) for portal in run.portals})

        killer = threading.Thread(target=kill, name="scale-out-kill", daemon=True)
        killer.start()
        load_started = time.monotonic()
        load = run_fans(
            portal_port=run.balancer_port,
            sandbox_port=run.sandbox.port if run.sandbox else 0,
            fans=fans,
            seconds=seconds,
            max_requests=max_requests,
            think_seconds=think_ms / 1000,
            settings={
                "fans": fans,
                "seconds": seconds,
                "think_ms": think_ms,
                "latency_ms": latency_ms,
                "replicas": f"{replicas} x gunicorn 1 worker x 4 threads",
                "balancer": "HAProxy, round robin, /readyz checked every 1 s",
                "cache": cache_url.split(":")[0],
            },
        )
        killer.join(timeout=seconds)
        after = {
            portal.name: _served(portal) - before.get(portal.name, 0) for portal in run.portals
        }
        survivors = [portal for portal in run.portals if portal is not victim]
        # The provider's background task: rewards the fans' completions made due.
        if run.sandbox is not None:
            run.sandbox.manage("sandbox_process_rewards").communicate(timeout=120)
        polls = check_overlapping_polls(run, survivors[0], survivors[-1])
        result = ScaleOutResult(
            replicas=replicas,
            killed=victim.name,
            killed_at_s=killed_at[0] - load_started if killed_at else -1.0,
            killed_at=killed_at[0] if killed_at else float("inf"),
            load=load,
            served_before_kill=before,
            served_after_kill=after,
            guesses=guesses,
            polls=polls,
        )
    finally:
        logs = run.stop()
    return result, logs


def main(argv: list[str] | None = None) -> int:
    parse = argparse.ArgumentParser(prog="python -m loadtest.scale_out", description=__doc__)
    parse.add_argument("--image", default=IMAGE)
    parse.add_argument("--fans", type=int, default=8)
    parse.add_argument("--seconds", type=float, default=60.0)
    parse.add_argument(
        "--cache-url",
        default=REDIS_URL,
        help="the replicas' CACHE_URL; locmemcache:// gives each its own, which the "
        "code-guess check must catch",
    )
    parse.add_argument("--json", type=Path, help="also write the load report as JSON here")
    args = parse.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tbits-scale-out-") as tmp:
        result, _ = run_scale_out(
            Path(tmp),
            image=args.image,
            fans=args.fans,
            seconds=args.seconds,
            cache_url=args.cache_url,
        )
    print(result.text())
    if args.json:
        args.json.write_text(json.dumps(result.load.as_dict(), indent=2))
    failures = result.failures()
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
