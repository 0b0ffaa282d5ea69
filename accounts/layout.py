"""The host site's layout: which template the portal's pages extend, and into which blocks.

Every portal page fills four blocks of its own (``tbits_title``, ``tbits_head``,
``tbits_body``, ``tbits_scripts``). They reach the host's ``base.html`` through a small
bridge, ``{% extends "base.html" %}{% block content %}{% block tbits_body %}...``, whose
block names are the host's. Django cannot take a block name from a variable, so the bridge
is written from the settings (``LAYOUT_TEMPLATE`` and ``LAYOUT_BLOCKS``) and compiled once
per engine: a host whose main block is ``body`` says so in one setting instead of writing a
template (``{% tbits_layout %}`` in the stock ``tbits_accounts/base.html`` extends it).

A block the host's layout does not have would be dropped without a word by Django (a page
without its navigation, or without its stylesheets), so :func:`rendered_blocks` walks the
real chain of templates the way Django renders it, and the checks in
:mod:`accounts.checks_layout` say which part of the portal a page would lose, and why.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.template import Engine, NodeList, Template
from django.template.base import VariableNode
from django.template.loader_tags import BlockNode, ExtendsNode

from accounts.app_settings import DEFAULTS, app_settings

#: The portal's four parts, in the order they appear in a page.
PARTS: tuple[str, ...] = ("title", "head", "body", "scripts")

#: The portal's block for each part (what the bridge places in the host's block).
PART_BLOCKS: dict[str, str] = {
    "title": "tbits_title",
    "head": "tbits_head",
    "body": "tbits_body",
    "scripts": "tbits_scripts",
}

#: Where a part goes when the host's layout has no block for it (``None`` in the setting):
#: stylesheets before the page and scripts after it, inside the host's main block. A title
#: has nowhere else to go: the host's own title stays.
_INSIDE_BODY: dict[str, str] = {"head": "before", "scripts": "after"}

# A block name as Django's {% block %} reads it: one token, no quotes or template syntax.
_BLOCK_NAME = re.compile(r"^[^\s'\"{}%]+$")
# A template name written into {% extends "..." %}.
_TEMPLATE_NAME = re.compile(r"^[^'\"{}%\n]+$")


class LayoutSettingError(ValueError):
    """``LAYOUT_TEMPLATE`` or ``LAYOUT_BLOCKS`` cannot be turned into a bridge."""


def layout_blocks() -> dict[str, str | None]:
    """``LAYOUT_BLOCKS`` over its defaults: the host's block for each part, or ``None``."""
    configured = app_settings.LAYOUT_BLOCKS
    if not isinstance(configured, Mapping):
        raise LayoutSettingError(
            "TBITS['LAYOUT_BLOCKS'] must be a dict such as {'body': 'content'}."
        )
    unknown = sorted(set(configured) - set(PARTS))
    if unknown:
        raise LayoutSettingError(
            f"TBITS['LAYOUT_BLOCKS'] has unknown keys {', '.join(map(repr, unknown))}; "
            f"its keys are {', '.join(map(repr, PARTS))}."
        )
    blocks = {**DEFAULTS["LAYOUT_BLOCKS"], **configured}
    for part, name in blocks.items():
        if name is None and part != "body":
            continue
        if not isinstance(name, str) or not _BLOCK_NAME.match(name):
            raise LayoutSettingError(
                f"TBITS['LAYOUT_BLOCKS'][{part!r}] must name a block of your layout "
                f"(one word){'' if part == 'body' else ', or be None'}; got {name!r}."
            )
        if name.startswith("tbits_"):
            raise LayoutSettingError(
                f"TBITS['LAYOUT_BLOCKS'][{part!r}] names {name!r}: blocks named tbits_… are "
                "the portal's own; name the block of your base template instead."
            )
    return blocks


def layout_template() -> str:
    """``LAYOUT_TEMPLATE``: the host's base template, as ``{% extends %}`` would name it."""
    name = app_settings.LAYOUT_TEMPLATE
    if not isinstance(name, str) or not _TEMPLATE_NAME.match(name):
        raise LayoutSettingError(
            f"TBITS['LAYOUT_TEMPLATE'] must be a template name such as 'base.html'; got {name!r}."
        )
    return name


def bridge_source(template_name: str, blocks: Mapping[str, str | None]) -> str:
    """The bridge template's source: the portal's blocks placed in the host's blocks."""
    inner = {part: f"{{% block {PART_BLOCKS[part]} %}}{{% endblock %}}" for part in PARTS}
    before = [inner[p] for p in PARTS if blocks.get(p) is None and _INSIDE_BODY.get(p) == "before"]
    after = [inner[p] for p in PARTS if blocks.get(p) is None and _INSIDE_BODY.get(p) == "after"]
    placed: dict[str, list[str]] = {}
    for part in PARTS:
        host_block = blocks.get(part)
        if part == "body":
            placed.setdefault(str(host_block), []).extend([*before, inner["body"], *after])
        elif host_block is not None:
            placed.setdefault(host_block, []).append(inner[part])
    lines = [f'{{% extends "{template_name}" %}}']
    lines += [
        f"{{% block {host_block} %}}{''.join(parts)}{{% endblock %}}"
        for host_block, parts in placed.items()
    ]
    return "\n".join(lines)


@functools.lru_cache(maxsize=16)
def _compiled(engine: Engine, source: str) -> Template:
    return engine.from_string(source)


def bridge_template(engine: Engine) -> Template:
    """The bridge for the current settings, compiled by ``engine`` (once per source)."""
    return _compiled(engine, bridge_source(layout_template(), layout_blocks()))


class LayoutNode(ExtendsNode):
    """``{% tbits_layout %}``: ``{% extends %}`` of the bridge the settings describe.

    An ``ExtendsNode`` whose parent is the bridge; it follows ``{% load %}``, so it cannot be
    the template's first tag, which Django's own ``{% extends %}`` insists on (Django then
    renders the template as the root of its children, and this node carries on the chain).
    """

    must_be_first = False

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.parent_name = None
        self.template_dirs = None
        self.blocks = {n.name: n for n in nodelist.get_nodes_by_type(BlockNode)}

    def __repr__(self) -> str:
        return "<LayoutNode: extends the layout of TBITS['LAYOUT_TEMPLATE']>"

    def get_parent(self, context: Any) -> Template:
        return bridge_template(context.template.engine)


# --- What a chain of templates renders --------------------------------------------------


def _child_blocks(nodelist: NodeList) -> Iterator[BlockNode]:
    """The blocks directly inside ``nodelist``: nested in tags, not inside another block."""
    for node in nodelist:
        if isinstance(node, BlockNode):
            yield node
            continue
        for attr in getattr(node, "child_nodelists", ()):
            child = getattr(node, attr, None)
            if isinstance(child, NodeList):
                yield from _child_blocks(child)


def _uses_block_super(nodelist: NodeList) -> bool:
    return any(
        node.filter_expression.token.startswith("block.super")
        for node in nodelist.get_nodes_by_type(VariableNode)
    )


def _parent(template: Template, engine: Engine, seen: list[Any]) -> Template | None:
    """The template ``template`` extends, or None at the root; ``ValueError`` when unknowable."""
    extends = next(iter(template.nodelist.get_nodes_by_type(ExtendsNode)), None)
    if extends is None:
        return None
    if isinstance(extends, LayoutNode):
        return bridge_template(engine)
    expression = extends.parent_name
    name = expression.var if not expression.filters else None
    if not isinstance(name, str):
        raise ValueError(f"{template.origin.name} extends a variable ({expression.token})")
    found, origin = engine.find_template(name, skip=seen)
    seen.append(origin)
    return found


def template_chain(engine: Engine, name: str) -> list[Template]:
    """``name`` and the templates it extends, leaf first (``ValueError`` if one is dynamic)."""
    template = engine.get_template(name)
    chain = [template]
    seen: list[Any] = [template.origin]
    while (parent := _parent(chain[-1], engine, seen)) is not None:
        chain.append(parent)
    return chain


def rendered_blocks(chain: list[Template]) -> set[str]:
    """The names of the blocks a render of ``chain`` (leaf first) shows, as Django does it.

    A block is shown when the root shows it, or when the definition that wins (the leaf's
    most of all) of a shown block holds it; ``{{ block.super }}`` shows the parent's too.
    """
    definitions: dict[str, list[BlockNode]] = {}
    for template in chain:
        for node in template.nodelist.get_nodes_by_type(BlockNode):
            definitions.setdefault(node.name, []).append(node)
    shown: set[str] = set()
    pending = [node.name for node in _child_blocks(chain[-1].nodelist)]
    while pending:
        name = pending.pop()
        if name in shown:
            continue
        shown.add(name)
        for node in definitions.get(name, []):
            pending.extend(child.name for child in _child_blocks(node.nodelist))
            if not _uses_block_super(node.nodelist):
                break
    return shown


def host_blocks(engine: Engine, name: str) -> list[str]:
    """The blocks of the host's layout ``name`` a child can fill (for a check's hint)."""
    chain = template_chain(engine, name)
    return sorted(rendered_blocks(chain))
