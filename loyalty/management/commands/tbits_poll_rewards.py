"""Poll the provider's reward updates once: record new deliveries, announce each once.

Meant for cron or a Kubernetes CronJob every minute. Safe when two runs overlap (they
queue on the cursor row; a delivery is recorded and announced once) and when a run dies
half-way (the cursor moves only with the deliveries it covers). See
:mod:`loyalty.deliveries` for how.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loyalty.deliveries import poll_reward_updates
from tbits_client import TbitsError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since must be a date like 2026-01-31, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Poll /api/v1/ent/reward_updates once since the stored cursor, record new reward "
        "deliveries and send the reward_delivered signal for each."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            type=str,
            help=(
                "Read from this date (YYYY-MM-DD) instead of a day before the cursor: for a "
                "first run that should include older deliveries, or to re-read a period "
                "(nothing is recorded or announced twice)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"]) if options.get("since") else None
        try:
            result = poll_reward_updates(since=since)
        except TbitsError as error:
            # Nothing was stored and the cursor did not move: the next run retries.
            raise CommandError(
                f"Could not read reward updates ({type(error).__name__}: {error}). Nothing "
                "was changed; the next run reads the same period. `manage.py tbits_check` "
                "diagnoses the API settings."
            ) from error
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"Reward updates since {result.asked_from.isoformat()}: "
                f"{result.received} received, {result.new} new, {result.updated} updated, "
                f"{result.announced} announced; read up to {result.position.isoformat()}."
            )
