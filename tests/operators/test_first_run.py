"""The first run a reader is told to make does not surprise them (issue 18).

The example setup file ships inside the package (``tbits_setup --example``), and applying it
over the seeded sandbox is not a no-op: the docs say how much it recreates, and that the
demo fan loses the seed's prize code, where a reader sees it before doing it. These tests
hold those sentences to what the plan really prints.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from loyalty.programme.validation import load_programme
from tests.operators.conftest import EXAMPLE, REPO
from tests.operators.test_check_command import RunCommand
from tests.operators.test_setup_command import plan_lines

#: Where the reader meets the first run: each must say plan first, and what applying does.
FIRST_RUN_PAGES = ("README.md", "docs/install-into-existing-site.md")
RECREATES = re.compile(r"recreates (\d+) of its (\d+) quests and rewards")
RECREATED = re.compile(r"-/\+ recreate .*?(quest|reward) ['\"]")


def test_the_example_ships_in_the_package_and_the_command_prints_it(
    run_command: RunCommand,
) -> None:
    assert EXAMPLE.is_relative_to(REPO / "loyalty")
    run = run_command("tbits_setup", "--example")
    assert run.ok and run.stdout == EXAMPLE.read_text()
    assert "Name the setup file" in (run_command("tbits_setup").error or "")


def test_the_docs_say_plan_first_and_what_applying_the_example_over_the_seed_costs(
    live_sandbox: Any, run_command: RunCommand
) -> None:
    run = run_command("tbits_setup", str(EXAMPLE), "--plan")
    assert run.ok, run.error
    lines = plan_lines(run)
    recreated = [line for line in lines if RECREATED.match(line)]
    programme = load_programme(str(EXAMPLE))
    in_file = len(programme.quests) + len(programme.rewards)
    assert recreated, "the example matches the seed now: the docs' warning can go"
    for page in FIRST_RUN_PAGES:
        text = " ".join((REPO / page).read_text().split())
        found = RECREATES.search(text)
        assert found, f"{page} does not say what applying the example over the seed recreates"
        assert (int(found[1]), int(found[2])) == (len(recreated), in_file), page
        assert "prize code" in text[found.start() - 400 : found.end() + 400], page
        # "--plan" comes before the command that applies it.
        plan_at = text.index("tbits_setup programme.toml --plan")
        assert plan_at < found.start(), page


def test_no_page_names_the_old_example_path() -> None:
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        assert "examples/programme.toml" not in Path(page).read_text(), page
