"""``manage.py tbits_check``: is this site's Tradable Bits configuration usable?

Verifies the settings (the ``tbits`` system checks and the ``TBITS`` values), then asks
the API: status (address and key), businesses (the business id), point types (the
secret), the business's point type, and its tiers. Every problem is reported in plain
words with what to do. Exit status 0 only when there is no problem; warnings of the
system checks are shown but do not fail the check.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.management.base import BaseCommand, CommandError, CommandParser

from loyalty.programme.connection import configured_credentials, operator_client
from loyalty.programme.diagnosis import Finding, Verdict, diagnose

# System checks of the portal's own apps: tbits.*, tbits_accounts.*, tbits_loyalty.*.
_OUR_CHECK_IDS = ("tbits.", "tbits_accounts.", "tbits_loyalty.")


def system_check_findings() -> list[Finding]:
    """The portal's Django system checks (those that need no API call) as findings."""
    findings = []
    for message in checks.run_checks():
        if not str(message.id or "").startswith(_OUR_CHECK_IDS):
            continue
        serious = message.level >= checks.ERROR
        findings.append(
            Finding(
                code=f"system-check:{message.id}",
                verdict=Verdict.PROBLEM if serious else Verdict.WARNING,
                message=f"{message.id}: {message.msg}",
                action=message.hint or "",
            )
        )
    return findings


class Command(BaseCommand):
    help = (
        "Check the Tradable Bits settings and the account they point at: API address, key, "
        "secret, business, point type and tiers. Exit status 0 only when all is well."
    )
    # The checks are what this command reports; failing before it starts would hide them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-system-checks",
            action="store_true",
            help="Only check the settings values and the API, not Django's system checks.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        credentials = configured_credentials()
        where = credentials.api_base_url or "(no API_BASE_URL)"
        self.stdout.write(
            f"Checking the Tradable Bits configuration: business "
            f"{credentials.business_id or '(none)'} at {where}"
        )
        findings = [] if options["skip_system_checks"] else system_check_findings()
        findings += diagnose(credentials, build_client=operator_client)
        for finding in findings:
            self.stdout.write(self._line(finding))
        problems = sum(1 for finding in findings if finding.is_problem)
        if problems:
            raise CommandError(
                f"{problems} problem{'s' if problems != 1 else ''} found; the first listed is "
                "the one to fix first."
            )
        self.stdout.write("All is well.")

    @staticmethod
    def _line(finding: Finding) -> str:
        label = f"{finding.verdict.value:<8}"
        line = f"  {label} {finding.message}"
        if finding.verdict in {Verdict.PROBLEM, Verdict.WARNING}:
            # The code is stable: scripts and tests match on it, not on the wording.
            line = f"  {label} [{finding.code}] {finding.message}"
        if finding.action and finding.verdict in {Verdict.PROBLEM, Verdict.WARNING}:
            line += f"\n           What to do: {finding.action}"
        return line
