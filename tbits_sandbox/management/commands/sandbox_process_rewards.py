"""``manage.py sandbox_process_rewards``: the provider's background reward task, on demand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tbits_sandbox.delivery import process_rewards


class Command(BaseCommand):
    help = (
        "Deliver every automatic reward (point_tier and quests requirements) now due, to fans "
        "with an activity for the business; never twice, within reward limits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account-id", type=int, help="Only this account.")

    def handle(self, *args: Any, **options: Any) -> None:
        delivered = process_rewards(account_id=options.get("account_id"))
        for item in delivered:
            self.stdout.write(f"  {item.reward.reward_title} -> fan {item.fan_id}")
        self.stdout.write(f"Delivered {len(delivered)} reward(s).")
