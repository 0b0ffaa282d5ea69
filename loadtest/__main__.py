"""``python -m loadtest``: start the sandbox and the portal under gunicorn, load them, report.

Loopback only and bounded: the run stops at ``--seconds`` or ``--max-requests``, whichever
comes first. Exit status 1 when any request got a 5xx other than the friendly 503 page, or
when a server logged a traceback.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from pathlib import Path

from loadtest.fans import Report, run_fans
from loadtest.stack import start_stack

#: What a default run does (the figures of docs/reliability.md come from it).
DEFAULTS = {
    "fans": 8,
    "seconds": 60.0,
    "max_requests": 20_000,
    "latency_ms": 25,
    "error_rate": 0.02,
    "faults": r"/crm/leaderboard$=503",
    "think_ms": 50,
    "portal_workers": 2,
    "portal_threads": 4,
}


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    parse.add_argument("--fans", type=int, default=DEFAULTS["fans"], help="virtual fans")
    parse.add_argument("--seconds", type=float, default=DEFAULTS["seconds"], help="run length")
    parse.add_argument(
        "--max-requests", type=int, default=DEFAULTS["max_requests"], help="request cap"
    )
    parse.add_argument(
        "--latency-ms", type=int, default=DEFAULTS["latency_ms"], help="added to every API call"
    )
    parse.add_argument(
        "--error-rate",
        type=float,
        default=DEFAULTS["error_rate"],
        help="share of API calls answering 503",
    )
    parse.add_argument(
        "--faults", default=DEFAULTS["faults"], help='API paths that always fail: "regex=status,…"'
    )
    parse.add_argument(
        "--think-ms", type=int, default=DEFAULTS["think_ms"], help="pause between a fan's clicks"
    )
    parse.add_argument("--portal-workers", type=int, default=DEFAULTS["portal_workers"])
    parse.add_argument("--portal-threads", type=int, default=DEFAULTS["portal_threads"])
    parse.add_argument(
        "--cache-url", default="locmemcache://portal", help="the portal's CACHE_URL (Redis…)"
    )
    parse.add_argument("--json", type=Path, help="also write the report as JSON here")
    return parse


def run(args: argparse.Namespace, workdir: Path) -> tuple[Report, dict[str, str]]:
    """One run in ``workdir``: the report and every server's log."""
    stack = start_stack(
        workdir,
        portal_workers=args.portal_workers,
        portal_threads=args.portal_threads,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        faults=args.faults,
        cache_url=args.cache_url,
    )
    try:
        report = run_fans(
            portal_port=stack.portal.port,
            sandbox_port=stack.sandbox.port,
            fans=args.fans,
            seconds=args.seconds,
            max_requests=args.max_requests,
            think_seconds=args.think_ms / 1000,
            memory=lambda: (stack.portal.rss_kib(), stack.sandbox.rss_kib()),
            settings={
                "fans": args.fans,
                "seconds": args.seconds,
                "max_requests": args.max_requests,
                "latency_ms": args.latency_ms,
                "error_rate": args.error_rate,
                "faults": args.faults,
                "think_ms": args.think_ms,
                "portal": f"gunicorn {args.portal_workers} workers x {args.portal_threads} threads",
                "cache": args.cache_url.split(":")[0],
            },
        )
    finally:
        logs = stack.stop()
    return report, logs


def internal_errors(logs: dict[str, str]) -> dict[str, int]:
    """How many 500s each server logged (Django logs each as "Internal Server Error").

    Tracebacks alone are no sign: the friendly 503 page logs the API error it hides.
    """
    marker = "Internal Server Error"
    return {name: log.count(marker) for name, log in logs.items() if marker in log}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tbits-loadtest-") as tmp:
        report, logs = run(args, Path(tmp))
    print("command: python -m loadtest " + shlex.join(argv if argv is not None else sys.argv[1:]))
    print(report.text())
    failures = internal_errors(logs)
    if failures:
        print(f"500s in server logs: {failures}")
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2))
    return 1 if report.server_errors or report.no_answer or failures else 0


if __name__ == "__main__":
    sys.exit(main())
