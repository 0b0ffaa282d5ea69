"""Custom quests the fan completes by saving their profile ("Complete your profile").

The API cannot say which custom quest is about the profile, so the site names them:
``TBITS['PROFILE_QUESTS']``, quest ids (``page_tab_id``) or exact titles. Such a quest's
card opens the profile instead of completing on a tap (which awarded its points without the
fan ever seeing the profile), its Complete button refuses, and it completes when the
accounts app reports the profile saved (``accounts.signals.fan_profile_saved``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from loyalty import rules, selectors
from loyalty.app_settings import loyalty_settings
from tbits_client import Quest, TbitsError

logger = logging.getLogger(__name__)


def is_profile_quest(quest: Quest) -> bool:
    """Whether ``quest`` is one the site says the profile completes."""
    names = {str(item).strip() for item in loyalty_settings.PROFILE_QUESTS or ()}
    return str(quest.page_tab_id) in names or quest.quest_title.strip() in names


def complete_profile_quests(sender: Any, *, request: HttpRequest, **kwargs: Any) -> None:
    """The fan saved their profile: complete each open profile quest, saying so.

    Never the profile save's downfall: an API failure here is a warning line, and the fan
    reads only the profile's own "saved" (never a quest success that did not happen).
    """
    from loyalty.completion import Outcome, complete_quest

    if not loyalty_settings.PROFILE_QUESTS:
        return
    try:
        state = selectors.portal_state(request, with_rewards=False)
        for quest in state.quests_by_id.values():
            card = state.card_for(quest.page_tab_id)
            if card is None or not card.status.actionable or not is_profile_quest(quest):
                continue
            result = complete_quest(
                request, quest_id=quest.page_tab_id, action=rules.QuestAction.COMPLETE, vetted=True
            )
            if result.outcome is Outcome.COMPLETED:
                messages.success(request, result.message)
    except TbitsError as error:
        logger.warning("profile quests not completed after a profile save: %s", error)
