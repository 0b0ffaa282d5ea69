"""``python -m benchmarks.concurrency``: many logged-in fans at once, the portal under gunicorn.

``make bench`` runs it after the in-process tables (``--skip-concurrency`` leaves it out);
alone it prints its own table and targets. A run, about 90 seconds:

1. the stand-in API (:mod:`benchmarks.standin`) at ``--latency-ms``, the main table's
   catalogue; a SQLite file and a cache the gunicorn workers share (Redis at
   127.0.0.1:6379, database 12 under a key prefix of this run's, deleted at the end; a
   file cache when Redis does not answer); the crowd's fans logged in there by a process
   with the workers' settings (:mod:`benchmarks.crowd_sessions`);
2. the portal under gunicorn with the container's workers and threads (read from the
   Dockerfile), started as the load test starts it (:func:`loadtest.stack.start_gunicorn`);
3. the render: one fan's pages with nothing to fetch, back to back;
4. the crowd arrives: each fan's first page at a random moment of one cycle of its data
   (``FAN_CACHE_TTL`` and the wait for the next page after it), so the ages of the fans'
   cached data are spread as in a crowd that has been browsing a while;
5. the steady phases, largest crowd first (50, 10, 1 fans): each fan a page, a pause of
   5-10 s, the next page; each phase ends by sending the surplus fans away.

Figures and targets: :mod:`benchmarks.crowd`; the fans and the counters around them:
:mod:`benchmarks.crowd_fans`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from benchmarks import crowd, report
from benchmarks.crowd_fans import Recorder, Window, browse, browser, measure_render, warm_up
from benchmarks.standin import StandIn
from loadtest.stack import REPO, Server, start_gunicorn

API_KEY = "crowd-api-key"
#: Redis as a deployment has it, on a database number no test uses.
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 12


@dataclass(frozen=True)
class Plan:
    """What a run does; the defaults fit in about 90 seconds on two cores."""

    levels: tuple[int, ...] = (50, 10, 1)
    #: Seconds of each steady phase, in the order of ``levels``. The largest crowd's is
    #: about one cycle of a fan's data (30 s + 3.9 s, see crowd.arrival_spread): each fan
    #: then refreshes about once within it, which keeps the count of calls steady.
    seconds: tuple[float, ...] = (34.0, 10.0, 8.0)
    think: tuple[float, float] = (5.0, 10.0)
    #: Seconds over which the crowd arrives; None: one cycle of a fan's data
    #: (:func:`benchmarks.crowd.arrival_spread` of the portal's ``FAN_CACHE_TTL``).
    arrival_seconds: float | None = None
    latency_ms: float = 50.0
    quests: int = 30
    rewards: int = 12
    workers: int | None = None
    threads: int | None = None
    cache_url: str | None = None
    #: Where to copy the portal's gunicorn log (it goes with the run's directory otherwise).
    log_copy: Path | None = None
    seed: int = 2126


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.concurrency", description=__doc__)
    add_arguments(parser)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--quests", type=int, default=30)
    parser.add_argument("--rewards", type=int, default=12)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The crowd's options, shared with ``python -m benchmarks.run``."""
    defaults = Plan()
    parser.add_argument(
        "--crowd",
        default=",".join(map(str, defaults.levels)),
        help="crowd sizes (default 50,10,1)",
    )
    parser.add_argument(
        "--crowd-seconds",
        default=",".join(f"{s:g}" for s in defaults.seconds),
        help="seconds of each crowd's steady phase (default 34,10,8)",
    )
    parser.add_argument(
        "--think",
        default="{:g},{:g}".format(*defaults.think),
        help="a fan's pause after each page, low,high seconds (default 5,10)",
    )
    parser.add_argument(
        "--arrival-seconds",
        type=float,
        default=None,
        help="seconds over which the crowd arrives (default: FAN_CACHE_TTL plus the mean "
        "wait for a fan's next page, 33.9 s)",
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the Dockerfile's)")
    parser.add_argument("--threads", type=int, help="gunicorn threads (default: the Dockerfile's)")
    parser.add_argument(
        "--crowd-cache-url",
        help="the portal's CACHE_URL (default: Redis on 127.0.0.1:6379, database 12, a key "
        "prefix of the run's; a file cache without Redis)",
    )
    parser.add_argument("--crowd-log", type=Path, help="copy the portal's gunicorn log here")


def plan_from(args: argparse.Namespace) -> Plan:
    think = tuple(float(part) for part in args.think.split(","))
    if len(think) != 2 or not 0 <= think[0] <= think[1]:
        raise SystemExit("--think takes low,high seconds")
    return Plan(
        levels=tuple(int(part) for part in args.crowd.split(",") if part.strip()),
        seconds=tuple(float(part) for part in args.crowd_seconds.split(",") if part.strip()),
        think=(think[0], think[1]),
        arrival_seconds=args.arrival_seconds,
        latency_ms=args.latency_ms,
        quests=args.quests,
        rewards=args.rewards,
        workers=args.workers,
        threads=args.threads,
        cache_url=args.crowd_cache_url,
        log_copy=args.crowd_log,
    )


# --- The shared cache -------------------------------------------------------------------------


def with_key_prefix(url: str, prefix: str) -> str:
    """``url`` with this run's ``key_prefix`` (the one it had is kept)."""
    if "key_prefix=" in url.lower():
        return url
    return url + ("&" if "?" in url else "?") + f"key_prefix={prefix}"


@contextmanager
def shared_cache(workdir: Path, url: str | None) -> Iterator[tuple[str, str]]:
    """``(CACHE_URL, description)`` for the run, under a key prefix of its own.

    The default is Redis on 127.0.0.1:6379, database 12, which no test uses; a file cache
    in the run's directory when that Redis does not answer. On Redis, the run's keys (and
    only those) are deleted at the end.
    """
    import redis

    prefix = "crowd-" + secrets.token_hex(4)
    if url is None:
        url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
        try:
            with redis.Redis.from_url(url, socket_connect_timeout=1) as probe:
                probe.ping()
        except redis.RedisError:
            url = f"filecache://{workdir / 'cache'}"
    name = url.split("?", 1)[0]
    shown = re.sub(r"//[^/@]*@", "//", name)  # never a password on the console
    if not url.startswith(("redis://", "rediss://")):
        yield with_key_prefix(url, prefix), shown
        return
    try:
        yield with_key_prefix(url, prefix), shown
    finally:
        with redis.Redis.from_url(name, socket_connect_timeout=1) as client:
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])


def portal_env(workdir: Path, *, api_url: str, api_secret: str, cache_url: str) -> dict[str, str]:
    """The environment of the crowd's processes, built from nothing but what they need."""
    env = {k: os.environ[k] for k in ("HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
        DJANGO_SETTINGS_MODULE="benchmarks.crowd_settings",
        DATABASE_URL=f"sqlite:///{workdir / 'crowd.sqlite3'}",
        CACHE_URL=cache_url,
        TBITS_API_BASE_URL=api_url,
        TBITS_API_KEY=API_KEY,
        TBITS_API_SECRET=api_secret,
    )
    return env


def log_in_crowd(env: dict[str, str], fans: int) -> dict:
    """Migrate the crowd's database and log ``fans`` in; what crowd_sessions printed."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.crowd_sessions", str(fans)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"Logging the crowd in failed:\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- The run --------------------------------------------------------------------------------------


def run_crowd(plan: Plan, *, standin: StandIn | None = None) -> crowd.CrowdResult:
    """One crowd run; ``standin`` is reused (and reconfigured) when given."""
    started = time.monotonic()
    steady_plan = crowd.phase_plan(plan.levels, plan.seconds)
    size = steady_plan[0][0]
    workers, threads = crowd.gunicorn_settings((REPO / "Dockerfile").read_text())
    workers, threads = plan.workers or workers, plan.threads or threads
    api_secret = "crowd-secret-" + secrets.token_urlsafe(16)
    own = StandIn() if standin is None else None
    with (
        tempfile.TemporaryDirectory(prefix="tbits-crowd-") as tmp,
        own if own is not None else nullcontext(),
    ):
        api = own or standin
        assert api is not None
        api.configure(
            quests=plan.quests,
            rewards=plan.rewards,
            latency_ms=plan.latency_ms,
            api_key=API_KEY,
            api_secret=api_secret,
        )
        workdir = Path(tmp)
        with shared_cache(workdir, plan.cache_url) as (cache_url, cache_name):
            env = portal_env(
                workdir, api_url=api.base_url, api_secret=api_secret, cache_url=cache_url
            )
            logged_in = log_in_crowd(env, size + 1)
            server = start_gunicorn(
                "crowd-portal", env, workdir=workdir, workers=workers, threads=threads
            )
            try:
                phases = _run_phases(
                    plan, steady_plan, server, api, logged_in, connections=workers * threads
                )
            finally:
                log = server.stop()
        tracebacks = log.count("Traceback (most recent call last)")
        if plan.log_copy is not None:
            plan.log_copy.write_text(log)
    arrival, steady, render, render_calls, observed = phases
    intervals = {
        "FAN_TAGS_CACHE_TTL": logged_in["fan_tags_cache_ttl"],
        "SESSION_CHECK_INTERVAL": logged_in["session_check_interval"],
    }
    return crowd.CrowdResult(
        workers=workers,
        threads=threads,
        latency_ms=plan.latency_ms,
        quests=plan.quests,
        rewards=plan.rewards,
        think=plan.think,
        cache=cache_name,
        render=tuple(render),
        render_calls=render_calls,
        arrival=arrival,
        steady=tuple(steady),
        unseen=crowd.unseen_calls_per_minute(intervals, observed_seconds=observed),
        intervals=intervals,
        tracebacks=tracebacks,
        seconds=time.monotonic() - started,
        log=crowd.log_problems(log),
    )


def _run_phases(
    plan: Plan,
    steady_plan: list[tuple[int, float]],
    server: Server,
    api: StandIn,
    logged_in: dict,
    *,
    connections: int,
) -> tuple[crowd.Phase, list[crowd.Phase], list[float], int, float]:
    cookie, sessions = logged_in["cookie"], logged_in["sessions"]
    warm_up(server.port, cookie=cookie, session=sessions[0], connections=connections)
    render, render_calls = measure_render(server.port, api, cookie=cookie, session=sessions[0])
    size = steady_plan[0][0]
    arrival_seconds = plan.arrival_seconds
    if arrival_seconds is None:
        arrival_seconds = crowd.arrival_spread(float(logged_in["fan_cache_ttl"]), plan.think)
    rng = random.Random(plan.seed)
    views = Recorder()
    stops = [threading.Event() for _ in range(size)]
    threads = [
        threading.Thread(
            target=browse,
            kwargs={
                "fan": browser(server.port, cookie=cookie, session=sessions[1 + n], record=views),
                "rng": random.Random(plan.seed + 1 + n),
                "think": plan.think,
                "delay": rng.uniform(0, arrival_seconds),
                "stop": stops[n],
            },
            name=f"crowd-fan-{n}",
            daemon=True,
        )
        for n in range(size)
    ]
    steady: list[crowd.Phase] = []
    try:
        window = Window(api, server)
        for thread in threads:
            thread.start()
        time.sleep(arrival_seconds)
        arrival = window.close("arriving", fans=size, views=views)
        for number, (fans, seconds) in enumerate(steady_plan):
            window = Window(api, server)
            time.sleep(seconds)
            steady.append(window.close("steady", fans=fans, views=views))
            remaining = steady_plan[number + 1][0] if number + 1 < len(steady_plan) else 0
            for stop in stops[remaining:fans]:
                stop.set()
    finally:
        for stop in stops:
            stop.set()
        for thread in threads:
            thread.join(timeout=35)
    observed = arrival_seconds + sum(seconds for _, seconds in steady_plan)
    return arrival, steady, render, render_calls, observed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = run_crowd(plan_from(args))
    print(crowd.crowd_table(result))
    verdicts = crowd.crowd_verdicts(result)
    print(report.targets_table(verdicts))
    failed = [verdict for verdict in verdicts if not verdict.passed]
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
