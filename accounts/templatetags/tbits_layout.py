"""``{% tbits_layout %}``: the stock ``tbits_accounts/base.html`` extends the host's layout.

Which template, and which of its blocks take the portal's title, stylesheets, page and
scripts, come from ``TBITS["LAYOUT_TEMPLATE"]`` and ``TBITS["LAYOUT_BLOCKS"]`` (see
:mod:`accounts.layout`). Like ``{% extends %}`` it takes the rest of the template as its
own; only the stock ``tbits_accounts/base.html`` uses it.
"""

from __future__ import annotations

from django import template
from django.template.base import Parser, Token

from accounts.layout import LayoutNode

register = template.Library()


@register.tag("tbits_layout")
def tbits_layout(parser: Parser, token: Token) -> LayoutNode:
    """Extend the layout the settings name; the rest of the template is this node's."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("'tbits_layout' takes no arguments.")
    nodelist = parser.parse()
    if nodelist.get_nodes_by_type(LayoutNode):
        raise template.TemplateSyntaxError("'tbits_layout' cannot appear more than once.")
    return LayoutNode(nodelist)
