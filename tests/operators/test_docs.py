"""The operator docs say what the code does: settings defaults, links, the override example."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from accounts.app_settings import DEFAULT_RATE_LIMITS
from accounts.app_settings import DEFAULTS as ACCOUNTS_DEFAULTS
from loyalty.app_settings import DEFAULTS as LOYALTY_DEFAULTS

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
OURS = (
    "README.md",
    "install-into-existing-site.md",
    "settings.md",
    "signals.md",
    "templates-and-adapter.md",
    "deployment.md",
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
    for name in ("install-into-existing-site.md", "templates-and-adapter.md"):
        assert code in (DOCS / name).read_text(), name
