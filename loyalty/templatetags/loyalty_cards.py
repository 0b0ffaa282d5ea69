"""``{% quest_card tile %}`` and ``{% reward_card tile %}``: the portal's cards.

``{% quest_cards tiles %}`` and ``{% reward_cards tiles %}`` render a whole list the same
way, without a ``{% for %}`` loop's cost per card.

Each card is ``tbits_loyalty/includes/quest_card.html`` or ``reward_card.html`` rendered as
``{% include %}`` renders it: with the whole page context plus the tile, so a site that
overrides either template may read anything a page has.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django import template
from django.template import Context
from django.template.base import Template
from django.utils.safestring import SafeString, mark_safe

from loyalty import presentation, reward_tiles

register = template.Library()

QUEST_CARD_TEMPLATE = "tbits_loyalty/includes/quest_card.html"
REWARD_CARD_TEMPLATE = "tbits_loyalty/includes/reward_card.html"


def _card_template(context: Context, name: str) -> Template:
    """The card template, looked up once per page render as ``{% include %}`` does."""
    # The bottom of the render context lives for one whole page render.
    store = context.render_context.dicts[0]
    key = (__name__, name)
    found = store.get(key)
    if found is None:
        found = store[key] = context.template.engine.get_template(name)  # type: ignore[union-attr]
    return found


def _render(context: Context, name: str, cards: Iterable[dict[str, object]]) -> SafeString:
    card_template = _card_template(context, name)
    parts = []
    for values in cards:
        with context.push(**values):
            parts.append(card_template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered template


@register.simple_tag(takes_context=True)
def quest_card(
    context: Context, tile: presentation.QuestTile, *, in_event: bool = False
) -> SafeString:
    """One quest card; ``in_event`` hides the event's name inside that event's section."""
    return _render(context, QUEST_CARD_TEMPLATE, [{"tile": tile, "in_event": in_event}])


@register.simple_tag(takes_context=True)
def reward_card(
    context: Context, tile: reward_tiles.RewardTile, *, is_new: bool = False
) -> SafeString:
    """One reward card; ``is_new`` marks a reward the fan has not seen in the wallet yet."""
    return _render(context, REWARD_CARD_TEMPLATE, [{"tile": tile, "is_new": is_new}])


@register.simple_tag(takes_context=True)
def quest_cards(
    context: Context, tiles: Iterable[presentation.QuestTile], *, in_event: bool = False
) -> SafeString:
    """Every card of ``tiles``, one after another, as ``{% quest_card %}`` renders each."""
    return _render(
        context, QUEST_CARD_TEMPLATE, ({"tile": tile, "in_event": in_event} for tile in tiles or ())
    )


@register.simple_tag(takes_context=True)
def reward_cards(
    context: Context,
    tiles: Iterable[reward_tiles.RewardTile],
    *,
    new_ids: Collection[str] = (),
) -> SafeString:
    """Every card of ``tiles``; those whose reward is in ``new_ids`` are marked new."""
    new_ids = new_ids or ()
    return _render(
        context,
        REWARD_CARD_TEMPLATE,
        ({"tile": tile, "is_new": tile.card.reward_id in new_ids} for tile in tiles or ()),
    )
