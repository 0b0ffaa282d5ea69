"""``python -m benchmarks.run`` (``make bench``): the portal against the naive flow.

Starts the stand-in API, measures the dashboard, the quest board and the wallet (naive,
cold, warm, hot), then how page time and CPU grow with quests and rewards (with the
stand-in answering at once: the portal's own time, no idle wait between calls), then the
pure status rules on 10,000 quests, then many fans at once against the portal under
gunicorn (:mod:`benchmarks.concurrency`, about 90 s, ``--skip-concurrency`` leaves it out);
prints the tables and PASS/FAIL per target of issues 9 and 21.
Exits non-zero on a FAIL only with ``--strict`` (absolute times on shared machines are
noisy; the targets are ratios measured in the same run for that reason).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence

from benchmarks import concurrency, crowd
from benchmarks.standin import StandIn


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=50.0,
        help="delay of every stand-in API call (default 50)",
    )
    parser.add_argument(
        "--quests", type=int, default=30, help="quests in the main comparison (default 30)"
    )
    parser.add_argument(
        "--rewards", type=int, default=12, help="rewards in the main comparison (default 12)"
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=25,
        help="page views per page and mode in the main comparison (default 25)",
    )
    parser.add_argument(
        "--growth-samples",
        type=int,
        default=12,
        help="page views per page, size and batch in the growth tables (default 12)",
    )
    parser.add_argument(
        "--growth-batches",
        type=int,
        default=3,
        help="batches of back-to-back views per page and size; CPU is the best batch's "
        "median (default 3)",
    )
    parser.add_argument(
        "--sizes",
        default="10,100,1000",
        help="quest counts of the growth table (default 10,100,1000)",
    )
    parser.add_argument(
        "--reward-sizes",
        default="10,100,1000",
        help="reward counts of the wallet growth table (default 10,100,1000)",
    )
    parser.add_argument(
        "--growth-latency-ms",
        type=float,
        default=0.0,
        help="stand-in latency of the growth tables and the CPU target (default 0: the "
        "portal's own time and CPU, with no idle wait in between; see docs/performance.md)",
    )
    parser.add_argument(
        "--rules-quests",
        type=int,
        default=10_000,
        help="quests for the pure rules timing (default 10000)",
    )
    parser.add_argument("--skip-growth", action="store_true", help="main comparison only")
    parser.add_argument(
        "--skip-concurrency",
        action="store_true",
        help="leave out the crowd under gunicorn (benchmarks.concurrency, about 90 s)",
    )
    concurrency.add_arguments(parser)
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    return parser.parse_args(argv)


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with StandIn() as standin:
        # Django reads the stand-in's address from the environment, as a deployment would.
        os.environ["TBITS_API_BASE_URL"] = standin.base_url
        os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import caches
        from django.core.management import call_command

        from benchmarks import report
        from benchmarks.measure import Mode, PageBench, idle_penalty
        from benchmarks.rules_timing import time_rules

        call_command("migrate", verbosity=0, interactive=False)

        def configure(quests: int, rewards: int, *, latency_ms: float) -> None:
            # A new catalogue: nothing the portal cached of the previous one may be served.
            caches["default"].clear()
            standin.configure(
                quests=quests,
                rewards=rewards,
                latency_ms=latency_ms,
                api_key=settings.TBITS["API_KEY"],
                api_secret=settings.TBITS["API_SECRET"],
            )

        bench = PageBench(standin)
        pages = ("dashboard", "quests", "wallet")
        penalty = idle_penalty(wait_seconds=args.latency_ms / 1000)
        print(
            report.header(
                args, python=platform.python_version(), cpus=os.cpu_count(), penalty=penalty
            )
        )

        configure(args.quests, args.rewards, latency_ms=args.latency_ms)
        main_results = bench.run(pages, tuple(Mode), samples=args.samples)
        print(report.main_table(main_results, args=args))

        def grow(sizes: list[tuple[int, int]], pages: tuple[str, ...]) -> dict:
            """Warm and hot views per (quests, rewards) size, back to back."""
            measured = {}
            for quests, rewards in sizes:
                configure(quests, rewards, latency_ms=args.growth_latency_ms)
                measured[(quests, rewards)] = bench.run_batched(
                    pages,
                    (Mode.WARM, Mode.HOT),
                    samples=args.growth_samples,
                    batches=args.growth_batches,
                )
            return measured

        growth = {}
        reward_growth = {}
        if not args.skip_growth:
            by_quests = grow([(q, max(4, q // 5)) for q in _sizes(args.sizes)], pages)
            growth = {quests: results for (quests, _), results in by_quests.items()}
            print(
                report.growth_table(
                    growth,
                    title="quests",
                    latency_ms=args.growth_latency_ms,
                    rewards_of=lambda q: max(4, q // 5),
                )
            )
            by_rewards = grow([(100, r) for r in _sizes(args.reward_sizes)], ("wallet",))
            reward_growth = {rewards: results for (_, rewards), results in by_rewards.items()}
            print(
                report.growth_table(
                    reward_growth,
                    title="rewards",
                    latency_ms=args.growth_latency_ms,
                    quests_fixed=100,
                )
            )

        rules = time_rules(quest_counts=(args.rules_quests // 10, args.rules_quests))
        print(report.rules_table(rules))

        verdicts = report.targets(
            main_results,
            growth=growth,
            rules=rules,
            latency_ms=args.latency_ms,
            reward_growth=reward_growth,
        )
        if not args.skip_concurrency:
            # The crowd's own processes, on the same stand-in (reconfigured for them).
            crowd_result = concurrency.run_crowd(concurrency.plan_from(args), standin=standin)
            print(crowd.crowd_table(crowd_result))
            verdicts += crowd.crowd_verdicts(crowd_result)
        print(report.targets_table(verdicts))
        print(f"\nTotal run time: {time.perf_counter() - started:.0f} s")
    failed = [verdict for verdict in verdicts if not verdict.passed]
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
