"""The design system stays inside the portal: a host site's own look is untouched.

Issue 16 asks for scoped CSS (every rule under the portal's root class ``.tb-portal`` or a
``tb-`` class; nothing styles ``body``, ``a`` or a bare element) and template blocks named so
they cannot collide with a host's (``tbits_...``, never ``content``). These tests read the
apps' own files, so a rule or block added later that leaks out fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "loyalty")
CSS_FILES = sorted(path for app in APPS for path in (ROOT / app / "static").rglob("*.css"))
TEMPLATES = sorted(path for app in APPS for path in (ROOT / app / "templates").rglob("*.html"))

#: A selector is scoped when it starts at the portal's root class or at a ``tb-`` class.
SCOPED = re.compile(r"^\.tb-[A-Za-z0-9_-]+(?=$|[\s.:#\[>+~,(])")


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """``text`` split at ``separator`` outside parentheses (``:is(h2, h3)`` stays whole)."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def style_rule_selectors(css: str) -> list[str]:
    """Every selector of every style rule, inside @media / @supports too; not keyframes."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors: list[str] = []
    stack: list[str] = []  # the prelude of each open block
    prelude = ""
    for char in css:
        if char == "{":
            head = prelude.strip()
            stack.append(head)
            in_keyframes = any(p.startswith("@keyframes") for p in stack[:-1])
            if head and not head.startswith("@") and not in_keyframes:
                selectors += [s.strip() for s in split_top_level(head) if s.strip()]
            prelude = ""
        elif char == "}":
            stack.pop()
            prelude = ""
        elif char == ";" and (not stack or stack[-1].startswith("@")):
            prelude = ""  # an at-statement (@import, @charset) or a declaration
        else:
            prelude += char
    return selectors


def unscoped(selectors: list[str]) -> list[str]:
    return [selector for selector in selectors if not SCOPED.match(selector)]


def test_the_selector_reader_sees_leaks_it_is_meant_to_catch() -> None:
    css = """
    /* body { a comment is not a rule } */
    .tb-portal a, body { color: red }
    @media (min-width: 48rem) { a:hover { color: blue } .tb-card :is(h2, h3) { margin: 0 } }
    @keyframes tb-pulse { from { opacity: 0 } 50% { opacity: 1 } }
    .tbits-legacy, .tb-portal{--x:1} button{all:unset} .x .tb-portal{color:red}
    """
    assert unscoped(style_rule_selectors(css)) == [
        "body",
        "a:hover",
        ".tbits-legacy",
        "button",
        ".x .tb-portal",
    ]


#: The template tags' stylesheet is for a host's own pages, where there is no .tb-portal: its
#: rules start at the tags' own root classes (those of ``templates/*/tags/*.html``) instead.
TAGS_CSS = ROOT / "loyalty" / "static" / "tbits_loyalty" / "tags.css"
TAG_ROOTS = ("tbits-points-badge", "tbits-tier", "tbits-quest-list", "tbits-login-button")
TAG_SCOPED = re.compile(rf"^\.({'|'.join(TAG_ROOTS)})(?=$|[\s.:#\[>+~,(_])")


@pytest.mark.parametrize(
    "path", [p for p in CSS_FILES if p != TAGS_CSS], ids=lambda path: path.name
)
def test_every_rule_of_the_apps_css_is_scoped_to_the_portal(path: Path) -> None:
    selectors = style_rule_selectors(path.read_text())
    assert selectors, f"{path} has no rules: the reader is broken"
    assert unscoped(selectors) == [], f"{path.name} styles outside .tb-portal / tb- classes"


def test_every_rule_of_the_tags_css_is_scoped_to_a_tag() -> None:
    selectors = style_rule_selectors(TAGS_CSS.read_text())
    assert selectors and [s for s in selectors if not TAG_SCOPED.match(s)] == []
    tag_markup = " ".join(path.read_text() for path in TEMPLATES if path.parent.name == "tags")
    for root in TAG_ROOTS:
        assert f'class="{root}"' in tag_markup, root


def test_the_apps_have_css_to_check() -> None:
    assert {path.name for path in CSS_FILES} >= {"accounts.css", "portal.css"}


BLOCK = re.compile(r"{%-?\s*block\s+([A-Za-z0-9_]+)")


#: The one template that fills a host's blocks: the bridge a site overrides to put the portal
#: in its own layout. Every other template names only ``tbits_`` blocks.
BRIDGE = ROOT / "accounts" / "templates" / "tbits_accounts" / "base.html"
BRIDGED = re.compile(r"{%\s*block\s+(\w+)\s*%}{%\s*block\s+(tbits_\w+)\s*%}{%\s*endblock")


@pytest.mark.parametrize(
    "path", [p for p in TEMPLATES if p != BRIDGE], ids=lambda path: str(path.relative_to(ROOT))
)
def test_every_template_block_is_named_tbits_so_no_host_block_collides(path: Path) -> None:
    # A host's base template has its own {% block content %} / {% block title %}: the
    # apps' blocks must never fill or shadow them by accident.
    names = BLOCK.findall(path.read_text())
    assert [name for name in names if not name.startswith("tbits_")] == []


def test_the_bridge_only_maps_host_blocks_onto_tbits_blocks() -> None:
    from accounts.app_settings import DEFAULTS
    from accounts.layout import bridge_source

    # The stock file names no block: it extends the bridge written from LAYOUT_BLOCKS.
    assert BLOCK.findall(BRIDGE.read_text()) == []
    text = bridge_source("base.html", DEFAULTS["LAYOUT_BLOCKS"])
    host_blocks = [name for name in BLOCK.findall(text) if not name.startswith("tbits_")]
    # Each host block holds exactly one tbits_ block and nothing else.
    assert sorted(host for host, _inner in BRIDGED.findall(text)) == sorted(host_blocks)
    assert "content" in host_blocks
