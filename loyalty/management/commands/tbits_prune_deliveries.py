"""``manage.py tbits_prune_deliveries [--dry-run]``: forget old recorded reward deliveries.

For cron or a Kubernetes CronJob, daily. Deletes the deliveries ``tbits_poll_rewards``
recorded more than ``TBITS["DELIVERY_RETENTION_DAYS"]`` days ago, in small batches, and
never one whose signal is still owed (see :mod:`loyalty.retention`). Safe to run while
the poll runs, twice at once, or again after being killed: it only deletes what is due.
Makes no API call. Exit status 0 unless the database fails.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from loyalty.app_settings import loyalty_settings
from loyalty.retention import prune_deliveries


class Command(BaseCommand):
    help = (
        "Delete the reward deliveries recorded more than TBITS['DELIVERY_RETENTION_DAYS'] "
        "days ago (never one whose reward_delivered signal is still owed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say how many deliveries would be deleted; delete nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        try:
            pruned = prune_deliveries(dry_run=dry_run)
        except DatabaseError as error:
            raise CommandError(
                f"The database failed ({type(error).__name__}); what was deleted stays "
                "deleted, and the next run deletes the rest."
            ) from None
        if pruned is None:
            self.stdout.write(
                "TBITS['DELIVERY_RETENTION_DAYS'] is None: deliveries are kept; nothing deleted."
            )
            return
        days = loyalty_settings.DELIVERY_RETENTION_DAYS
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {pruned.deleted} reward deliver{'y' if pruned.deleted == 1 else 'ies'} "
            f"recorded before {pruned.horizon.isoformat(timespec='seconds')} "
            f"(TBITS['DELIVERY_RETENTION_DAYS'] = {days})."
            + (" Dry run: nothing was deleted." if dry_run else "")
        )
        if pruned.owed_kept:
            self.stdout.write(
                f"Kept {pruned.owed_kept} older one(s) whose reward_delivered signal is still "
                "owed: tbits_poll_rewards sends it on its next run."
            )
