"""``manage.py tbits_setup PATH [--plan] [--delete-missing] [--business-id ID]``, or ``--example``.

Makes a business's point type, tiers, quests and rewards match a setup file (see
docs/setup-file.md). The file is validated before anything else, so a broken file never
causes an API call; then the account is read, a plan is printed, and (without ``--plan``)
applied. Running it again with the same file reports no changes. ``--example`` prints the
example file that ships inside the package (``loyalty/programme/example.toml``), so a site
that installed the wheel has a file to start from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.checks import process_local_cache
from loyalty.app_settings import loyalty_settings
from loyalty.programme.applier import ApplyFailed, Step, apply_plan, read_account
from loyalty.programme.connection import configured_credentials, operator_client
from loyalty.programme.diagnosis import describe_api_error
from loyalty.programme.planner import plan_changes
from loyalty.programme.render import render_plan
from loyalty.programme.validation import ProgrammeInvalid, load_programme
from loyalty.selectors.business import forget_catalogue
from tbits_client import ConfigurationError, TbitsError

#: The example setup file: the demo club the sandbox seed shows. Package data of loyalty.
EXAMPLE = Path(__file__).resolve().parents[2] / "programme" / "example.toml"


class Command(BaseCommand):
    help = (
        "Make the business's point type, tiers, quests and rewards match a TOML setup file. "
        "--plan shows the changes without making them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="The setup file (TOML); --example prints one to start from."
        )
        parser.add_argument(
            "--example",
            action="store_true",
            help=(
                "Print the example setup file (the sandbox's demo club) and stop: "
                "manage.py tbits_setup --example > programme.toml"
            ),
        )
        parser.add_argument(
            "--plan",
            action="store_true",
            help="Print what would be created, changed and deleted; change nothing.",
        )
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            help="Also delete quests and rewards of the business that the file does not list.",
        )
        parser.add_argument(
            "--business-id",
            type=int,
            default=None,
            help="The business to set up (default: TBITS['BUSINESS_ID']).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["example"]:
            self.stdout.write(EXAMPLE.read_text(encoding="utf-8"), ending="")
            return
        path = options["path"]
        if not path:
            raise CommandError("Name the setup file, or pass --example to print one.")
        # 1. The file, before anything touches the network.
        try:
            programme = load_programme(path)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from None
        except ProgrammeInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"  {problem}")
            count = len(invalid.problems)
            raise CommandError(
                f"{path} has {count} problem{'s' if count != 1 else ''}; nothing was sent "
                "to the API."
            ) from None

        credentials = configured_credentials()
        business_id = options["business_id"]
        if business_id is None:
            if not credentials.business_id.isdigit():
                raise CommandError(
                    "No business to set up: set TBITS['BUSINESS_ID'] or pass --business-id."
                )
            business_id = int(credentials.business_id)
        if programme.business_id is not None and programme.business_id != business_id:
            raise CommandError(
                f"{path} is for business {programme.business_id} (its business_id), but "
                f"this would apply it to business {business_id}; nothing was sent to the API. "
                "Pass --business-id or fix the file."
            )

        # 2. The account, and the plan.
        if not credentials.api_secret:
            raise CommandError(
                "TBITS['API_SECRET'] is not set, and every setup call needs it; nothing was "
                "sent to the API. Set it, then run manage.py tbits_check."
            )
        try:
            client = operator_client(credentials)
        except ConfigurationError as error:
            raise CommandError(
                f"The API settings are unusable: {error}. Run manage.py tbits_check."
            ) from None
        with client:
            try:
                state = read_account(client, business_id=business_id, programme=programme)
            except TbitsError as error:
                raise self._api_error(error, client.base_url, "reading the account") from None
            plan = plan_changes(
                programme,
                state,
                business_id=business_id,
                delete_missing=options["delete_missing"],
            )
            self.stdout.write(render_plan(plan))
            if plan.blockers:
                raise CommandError("Nothing was changed: fix the problems marked ! above.")
            if options["plan"]:
                self.stdout.write("Plan only (--plan): nothing was changed.")
                return
            if plan.is_empty:
                self.stdout.write(f"No changes: the account matches {path}.")
                return

            # 3. The apply.
            self.stdout.write("Applying:")
            try:
                outcome = apply_plan(client, plan, on_step=self._print_step)
            except ApplyFailed as failed:
                self._forget_catalogue(business_id)  # what was done is done: show it
                finding = describe_api_error(
                    failed.error,
                    call=f"{failed.change.action} {failed.change.kind}",
                    base_url=client.base_url,
                )
                self.stderr.write(
                    f"Failed to {failed.change.action} {failed.change.kind} "
                    f"{failed.change.key!r}: {failed.error}"
                )
                self.stderr.write(f"What to do: {finding.action}")
                raise CommandError(
                    f"Stopped after {len(failed.steps)} call(s); what was done stays done. "
                    "Fix the cause and run the same command again to finish."
                ) from None
        self._forget_catalogue(business_id)
        if outcome.held_back:
            raise CommandError(
                f"Point type and tiers are set up; quests and rewards are held back. "
                f"{outcome.held_back}"
            )
        self.stdout.write(
            f"Applied {outcome.changes_made} change(s). The account now matches {path}."
        )

    def _forget_catalogue(self, business_id: int) -> None:
        """Drop the portal's cached catalogue, so every process shows the change at once."""
        forget_catalogue(business_id)
        if process_local_cache() is not None:
            self.stdout.write(
                "The portal's cache is local to each process: running pages show the change "
                f"within TBITS['CACHE_TTL'] ({loyalty_settings.CACHE_TTL} s). A shared cache "
                "(Redis) shows it at once."
            )
        else:
            self.stdout.write("Dropped the portal's cached catalogue: the next page shows it.")

    def _print_step(self, step: Step) -> None:
        self.stdout.write(f"  {step}")

    @staticmethod
    def _api_error(error: TbitsError, base_url: str, doing: str) -> CommandError:
        finding = describe_api_error(error, call=doing, base_url=base_url)
        return CommandError(f"{finding.message} {finding.action}")
