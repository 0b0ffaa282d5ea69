"""The operator docs say what the code does: settings, links, the override example, the file."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from accounts.app_settings import DEFAULT_RATE_LIMITS
from accounts.app_settings import DEFAULTS as ACCOUNTS_DEFAULTS
from loyalty.app_settings import DEFAULTS as LOYALTY_DEFAULTS
from loyalty.programme.validation import ProgrammeInvalid, parse_programme

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
OURS = (
    "README.md",
    "install-into-existing-site.md",
    "settings.md",
    "signals.md",
    "templates-and-adapter.md",
    "deployment.md",
    "operations.md",
    "commands.md",
)
ROW = re.compile(r"^\| `(?P<key>[A-Z_]+)` \| (?P<default>[^|]+?) \|", re.M)
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def tbits_sections() -> str:
    """The settings page up to its section on Django's own settings."""
    return (DOCS / "settings.md").read_text().split("## Django settings", 1)[0]


def documented_defaults() -> dict[str, str]:
    return {m["key"]: m["default"] for m in ROW.finditer(tbits_sections())}


@pytest.mark.parametrize("key", sorted({**ACCOUNTS_DEFAULTS, **LOYALTY_DEFAULTS}))
def test_every_setting_is_documented_with_its_default(key: str) -> None:
    documented = documented_defaults()
    assert key in documented, f"docs/settings.md does not list TBITS[{key!r}]"
    default = {**ACCOUNTS_DEFAULTS, **LOYALTY_DEFAULTS}[key]
    if key == "RATE_LIMITS":
        text = " ".join(tbits_sections().split())
        for action, rate in DEFAULT_RATE_LIMITS.items():
            assert f'`{action}` `"{rate}"`' in text, action
        return
    literal = documented[key].strip().strip("`")
    assert ast.literal_eval(literal) == default, (key, literal, default)


def test_settings_page_lists_no_key_the_code_does_not_know() -> None:
    known = {**ACCOUNTS_DEFAULTS, **LOYALTY_DEFAULTS}
    assert set(documented_defaults()) <= set(known)


def _anchors(markdown: str) -> set[str]:
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).strip().replace(" ", "-")
        anchors.add(slug)
    return anchors


@pytest.mark.parametrize("name", OURS)
def test_links_between_docs_resolve(name: str) -> None:
    text = (DOCS / name).read_text()
    for match in LINK.finditer(text):
        target = match["target"]
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        page = (DOCS / name).parent / path if path else DOCS / name
        assert page.is_file(), f"{name}: {target}"
        if anchor:
            assert anchor in _anchors(page.read_text()), f"{name}: {target}"


def test_the_override_example_is_the_one_the_host_site_uses() -> None:
    override = (REPO / "tests/hostsite/templates/tbits_accounts/base.html").read_text()
    code = re.sub(r"\{% comment %\}.*?\{% endcomment %\}\n", "", override, flags=re.S).strip()
    # The install page sets LAYOUT_BLOCKS instead; the templates page shows the override.
    assert code in (DOCS / "templates-and-adapter.md").read_text()


POINT_TYPE = '[point_type]\npoint_name = "Fan Points"\n'
A_REWARD = (
    '[[rewards]]\nreward_title = "Prize"\nreward_type = "badge"\n'
    'expiration_timestamp = 2027-06-30T23:59:00\ntimezone = "UTC"\n'
    'winner_selection_model = "all"\n'
)
A_QUEST = '[[quests]]\nquest_title = "Hello"\nquest_type = "custom"\n'


def _accepted(file_text: str, field: str) -> list[str]:
    """The values validation accepts for ``field``, read from its refusal of a wrong one."""
    with pytest.raises(ProgrammeInvalid) as caught:
        parse_programme(POINT_TYPE + file_text, source="club.toml")
    messages = [p.message for p in caught.value.problems if p.field == field]
    assert messages, caught.value.problems
    return messages[0].split("is not one of: ", 1)[1].split(", ")


def _documented(section: str, field: str) -> list[str]:
    """The values the setup-file page lists for ``field`` in ``section``'s table."""
    page = (DOCS / "setup-file.md").read_text()
    table = page.split(f"### `{section}`", 1)[1].split("\n### ", 1)[0]
    row = next(line for line in table.splitlines() if f"`{field}`" in line.split(" | ")[0])
    notes = re.sub(r"\([^)]*\)", "", row.strip("| ").split(" | ")[2]).split(";")[0]
    return re.findall(r"`([^`]+)`", notes)


@pytest.mark.parametrize(
    ("section", "field", "file_text"),
    [
        ("[[quests]]", "quest_type", A_QUEST.replace('"custom"', '"bogus"')),
        ("[[quests]]", "reward_type", A_QUEST + 'reward_type = "bogus"\n'),
        ("[[quests]]", "access_restriction_type", A_QUEST + 'access_restriction_type = "bogus"\n'),
        ("[[rewards]]", "reward_type", A_REWARD.replace('"badge"', '"bogus"')),
        ("[[rewards]]", "winner_selection_model", A_REWARD.replace('"all"', '"bogus"')),
        ("[[rewards]]", "requirement_type", A_REWARD + 'requirement_type = "bogus"\n'),
        (
            "[[rewards]]",
            "atvenu_delivery_method",
            A_REWARD.replace('"badge"', '"atvenu"')
            + 'atvenu_delivery_method = "bogus"\nperformance_uid = "'
            + "1b4e28ba-2fa1-11d2-883f-0016541e4d2c"
            + '"\n',
        ),
    ],
)
def test_the_setup_file_page_lists_the_values_validation_accepts(
    section: str, field: str, file_text: str
) -> None:
    # The values come from the client's enums (plus the file's own "none"): a value the
    # provider adds there is accepted at once, and this keeps the page telling operators so.
    assert sorted(_documented(section, field)) == sorted(_accepted(file_text, field))
