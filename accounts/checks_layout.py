"""System checks: the portal's pages reach the site's layout whole, or ``check`` says why.

Django drops a block that no template of the chain shows, without a word: a portal page
would lose its navigation, or its stylesheets, and nothing would say so. These checks walk
the chain a portal page renders (``tbits_accounts/shell.html`` up to the site's base
template) as Django does, and name the part that would be lost and the block to set.

Ids: ``tbits_accounts.E014`` (the layout cannot be read), ``E015`` (a page would lose its
header, navigation and content, or its stylesheets), ``W006`` (its title or its scripts).
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates

from accounts.layout import (
    LayoutNode,
    LayoutSettingError,
    layout_blocks,
    layout_template,
    rendered_blocks,
    template_chain,
)

#: The portal's shell: every page, the login pages included, renders through it.
SHELL = "tbits_accounts/shell.html"

# (blocks that must be shown, the part of the setting, what a page loses without them)
_NEEDED: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("tbits_header", "tbits_page"), "body", "its header, navigation and content"),
    (("tbits_head",), "head", "its stylesheets and brand colours"),
)
_WANTED: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("tbits_page_title",), "title", "its title"),
    (("tbits_scripts",), "scripts", "its script (the pages work without it, less smoothly)"),
)
_LIKELY_MAIN = ("content", "body", "main", "page")


def _django_engines() -> list[Any]:
    return [engine.engine for engine in engines.all() if isinstance(engine, DjangoTemplates)]


@register(Tags.templates, "tbits_accounts")
def check_layout(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """E014/E015/W006: every part of a portal page is shown by the site's layout."""
    try:
        blocks = layout_blocks()
        base = layout_template()
    except LayoutSettingError as error:
        return [Error(str(error), id="tbits_accounts.E014")]
    problems: list[CheckMessage] = []
    for engine in _django_engines():
        try:
            chain = template_chain(engine, SHELL)
        except TemplateDoesNotExist as missing:
            problems.append(
                Error(
                    f"The portal's pages extend {missing.args[0]!r}, which no template "
                    "folder holds.",
                    hint=(
                        "Name your site's base template in TBITS['LAYOUT_TEMPLATE'] "
                        f"(now {base!r}), or add it to TEMPLATES' DIRS."
                    ),
                    id="tbits_accounts.E014",
                )
            )
            continue
        except TemplateSyntaxError as error:
            problems.append(
                Error(f"The site's layout cannot be read: {error}", id="tbits_accounts.E014")
            )
            continue
        except ValueError:
            continue  # a layout chosen at render time: nothing can be said in advance
        problems.extend(_lost_parts(chain, blocks, base))
    return problems


def _lost_parts(chain: list[Any], blocks: dict[str, str | None], base: str) -> list[CheckMessage]:
    shown = rendered_blocks(chain)
    stock = any(t.nodelist.get_nodes_by_type(LayoutNode) for t in chain)
    root = chain[-1]
    layout_blocks_shown = sorted(
        name for name in rendered_blocks([root]) if not name.startswith("tbits_")
    )
    problems: list[CheckMessage] = []
    for needed, part, loss in (*_NEEDED, *_WANTED):
        if all(name in shown for name in needed):
            continue
        kind = Error if (needed, part, loss) in _NEEDED else Warning
        ident = "tbits_accounts.E015" if kind is Error else "tbits_accounts.W006"
        problems.append(
            kind(
                f"Portal pages would show without {loss}: {_why(part, blocks, base, stock)}",
                hint=_hint(part, layout_blocks_shown, stock),
                id=ident,
            )
        )
    return problems


def _why(part: str, blocks: dict[str, str | None], base: str, stock: bool) -> str:
    if not stock:
        block = "tbits_page_title" if part == "title" else f"tbits_{part}"
        return (
            f"your own tbits_accounts/base.html does not place the block {block} inside a "
            f"block that your layout shows."
        )
    name = blocks.get(part)
    if name is None:
        return f"TBITS['LAYOUT_BLOCKS'][{part!r}] is None and the part has nowhere else to go."
    return (
        f"TBITS['LAYOUT_BLOCKS'][{part!r}] names the block {name!r}, which your layout "
        f"{base!r} does not have (or does not show)."
    )


def _hint(part: str, host: list[str], stock: bool) -> str:
    listing = ", ".join(host) if host else "none"
    if not stock:
        return (
            f"The blocks your layout shows: {listing}. Or delete your "
            "tbits_accounts/base.html and set TBITS['LAYOUT_BLOCKS'] instead."
        )
    example = ""
    if part == "body":
        main = next((name for name in _LIKELY_MAIN if name in host), None)
        if main:
            example = f" For example TBITS['LAYOUT_BLOCKS'] = {{'body': {main!r}}}."
    elif part in ("head", "scripts"):
        example = f" Or None, to put it inside the page's block (TBITS['LAYOUT_BLOCKS']['{part}'])."
    return f"The blocks your layout shows: {listing}.{example}"
