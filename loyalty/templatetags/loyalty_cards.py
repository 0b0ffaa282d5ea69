"""``{% quest_card tile %}`` and ``{% reward_card tile %}``: the portal's cards, cached.

``{% quest_cards tiles %}`` and ``{% reward_cards tiles %}`` render a whole list the same
way, without a ``{% for %}`` loop's cost per card.

They render ``tbits_loyalty/includes/quest_card.html`` and ``reward_card.html`` as
``{% include %}`` does, but reuse the markup of a card already rendered with the same
content (see :func:`loyalty.presentation.render_card`). A site that overrides either
template gets its own rendered every time, with the whole page context.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django import template
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from loyalty import presentation

register = template.Library()


@register.simple_tag(takes_context=True)
def quest_card(
    context: Context, tile: presentation.QuestTile, *, in_event: bool = False
) -> SafeString:
    """One quest card; ``in_event`` hides the event's name inside that event's section."""
    return presentation.render_card(
        context,
        template_name=presentation.QUEST_CARD_TEMPLATE,
        tile=tile,
        key=presentation.quest_card_key(tile, in_event=in_event),
        extra={"in_event": in_event},
    )


@register.simple_tag(takes_context=True)
def reward_card(
    context: Context, tile: presentation.RewardTile, *, is_new: bool = False
) -> SafeString:
    """One reward card; ``is_new`` marks a reward the fan has not seen in the wallet yet."""
    return presentation.render_card(
        context,
        template_name=presentation.REWARD_CARD_TEMPLATE,
        tile=tile,
        key=presentation.reward_card_key(tile, is_new=is_new),
        extra={"is_new": is_new},
    )


@register.simple_tag(takes_context=True)
def quest_cards(
    context: Context, tiles: Iterable[presentation.QuestTile], *, in_event: bool = False
) -> SafeString:
    """Every card of ``tiles``, one after another, as ``{% quest_card %}`` renders each."""
    return mark_safe(  # noqa: S308 - each part is a rendered template
        "".join(quest_card(context, tile, in_event=in_event) for tile in tiles or ())
    )


@register.simple_tag(takes_context=True)
def reward_cards(
    context: Context,
    tiles: Iterable[presentation.RewardTile],
    *,
    new_ids: Collection[str] = (),
) -> SafeString:
    """Every card of ``tiles``; those whose reward is in ``new_ids`` are marked new."""
    new_ids = new_ids or ()
    return mark_safe(  # noqa: S308 - each part is a rendered template
        "".join(
            reward_card(context, tile, is_new=tile.card.reward_id in new_ids)
            for tile in tiles or ()
        )
    )
