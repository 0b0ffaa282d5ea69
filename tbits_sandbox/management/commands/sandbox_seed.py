"""``manage.py sandbox_seed``: create the demo account and print how to use it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tbits_sandbox.seed import seed_demo


def mask(secret: str) -> str:
    """Enough of a secret to recognise it, not enough to use it."""
    if len(secret) <= 8:
        return "*" * len(secret)
    return f"{secret[:4]}{'*' * (len(secret) - 8)}{secret[-4:]}"


class Command(BaseCommand):
    help = (
        "Create or update the sandbox demo account (credentials from settings.TBITS: API_KEY, "
        "API_SECRET, ACCOUNT_ID, BUSINESS_ID; demo fan from the settings "
        "TBITS_SANDBOX_FAN_EMAIL / TBITS_SANDBOX_FAN_PASSWORD). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--require-terms",
            action="store_true",
            help="Make Sessions/Connect ask new fans to accept the terms (is_accepted).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        info = seed_demo(terms_required=options["require_terms"])
        lines = [
            "Sandbox demo account ready.",
            f"  account_id:   {info.account_id}",
            f"  business_id:  {info.business_id} ({info.business_name})",
            f"  api_key:      {info.api_key}",
            f"  api_secret:   {mask(info.api_secret)} (masked; settings.TBITS['API_SECRET'])",
            f"  point type:   {info.point_name} ({info.point_uid})",
            f"  demo fan:     {info.fan_email} / password {info.fan_password}",
            f"  demo phone:   {info.fan_phone}",
            f"  quests: {len(info.quests)}, rewards: {len(info.rewards)}, "
            f"tiers: {', '.join(info.tiers)}",
            "  Verification codes: /sandbox/outbox/",
        ]
        self.stdout.write("\n".join(lines))
