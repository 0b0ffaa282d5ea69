"""``tbits_check``'s warnings about the programme's quests: what a fan would otherwise trip on.

The API accepts these quests, and the portal copes with them, but each leaves fans with
less than the operator meant: a campaign quest with nowhere to send the fan, a quest whose
dates can never meet the event it is tied to (the board leaves it out, so no fan sees it).
Warnings, never problems: the portal works.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from loyalty import mapping, rules
from loyalty.links import campaign_url
from loyalty.programme.findings import Finding, Verdict
from loyalty.rules.vocabulary import CAMPAIGN_QUEST_KINDS
from tbits_client import Performance, Quest

#: How many quests a warning names before "and N more".
NAMED = 5


def _named(titles: Sequence[str]) -> str:
    names = ", ".join(repr(title) for title in titles[:NAMED])
    more = len(titles) - NAMED
    return names + (f" and {more} more" if more > 0 else "")


def campaign_address_findings(quests: Sequence[Quest]) -> list[Finding]:
    """A warning when campaign or QuickPicks quests have nowhere the portal can send a fan.

    Without ``CAMPAIGN_URL`` or a quest's own ``link_url`` such a card has no button and
    can only say the quest is played on the team's campaign page: the fan must find it.
    """
    stranded = [
        quest.quest_title
        for quest in quests
        if str(quest.quest_type) in CAMPAIGN_QUEST_KINDS and campaign_url(quest) is None
    ]
    if not stranded:
        return []
    return [
        Finding(
            "campaign-url",
            Verdict.WARNING,
            f"{len(stranded)} campaign or QuickPicks quest(s) have no address the portal can "
            f"link to ({_named(stranded)}): their cards show no button, only that they are "
            "played on the team's campaign page.",
            "Set TBITS['CAMPAIGN_URL'] to where campaigns are played, e.g. "
            "'https://club.example/play/{target_page_tab_id}', or give each quest a link_url.",
        )
    ]


def never_opening_findings(
    quests: Sequence[Quest], performances: Sequence[Performance], *, zone: dt.tzinfo
) -> list[Finding]:
    """A warning when a quest's own dates miss the window of the performance it is tied to.

    Such a quest can never be completed (``rules.Availability.NEVER_OPENS``), so the quest
    board leaves it out, as it does an ended one; only this check tells the operator.
    Dates are read as the portal reads them (``EVENT_TIMEZONE``).
    """
    windows = {
        window.performance_id: window
        for window in (mapping.performance_window(item, zone=zone) for item in performances)
        if window is not None
    }
    missed = []
    for quest in quests:
        window = windows.get(quest.performance_uid or "")
        if window is None:
            continue
        if rules.window_is_empty(*rules.quest_window(mapping.quest_rule(quest, zone=zone), window)):
            missed.append(f"{quest.quest_title} (event {window.name or window.performance_id})")
    if not missed:
        return []
    return [
        Finding(
            "quest-never-opens",
            Verdict.WARNING,
            f"{len(missed)} quest(s) can never be completed: their start and end dates miss "
            f"the day of the event they are tied to ({_named(missed)}). Fans do not see them.",
            "Move each quest's dates to overlap its event, or tie it to another event (or "
            "none), in the setup file or the admin UI.",
        )
    ]
