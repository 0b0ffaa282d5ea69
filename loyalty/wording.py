"""Sentences a fan reads, built from the rules' structured results.

The rules return gaps as data (``LockReason``, ``RewardProgress``); this module phrases them
with the loyalty adapter's messages (translated, and replaceable by a site), so the rules
stay free of Django.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loyalty.adapter import get_adapter
from loyalty.rules import (
    Availability,
    LockKind,
    LockReason,
    PerformanceWindow,
    QuestCard,
    QuestState,
    RewardProgress,
)


def points(count: int) -> str:
    """'1 point' / '1,200 points', with the locale's grouping."""
    return ngettext("%(count)s point", "%(count)s points", count) % {
        "count": number_format(count, force_grouping=True)
    }


def quoted_list(titles: tuple[str, ...]) -> str:
    """'Follow us' and 'Visit the site' - titles quoted and joined for a sentence."""
    # Translators: a quest or reward title quoted inside a sentence (French: « %(title)s »).
    quoted = [_("‘%(title)s’") % {"title": title} for title in titles]  # noqa: RUF001
    return get_text_list(quoted, _("and"))


def lock_text(reason: LockReason) -> str:
    """The plain-language reason a quest is locked, naming the gap and the next step."""
    adapter = get_adapter()
    to_go = reason.points_to_go
    if reason.kind is LockKind.POINTS:
        return adapter.message("locked_points", points=number_text(to_go), count=to_go)
    if reason.kind is LockKind.TIER:
        if not reason.tier_name:
            return adapter.message("locked_unknown_tier")
        return adapter.message(
            "locked_tier", tier=reason.tier_name, points=number_text(to_go), count=to_go
        )
    return prerequisites_text(reason.missing_quests, reason.unnamed_missing)


def unavailable_text(card: QuestCard) -> str:
    """Why a quest cannot be completed now, in a sentence."""
    status = card.status
    adapter = get_adapter()
    if status.state is QuestState.COMPLETED:
        return adapter.message("already_completed")
    if status.lock is not None:
        return lock_text(status.lock)
    if status.availability is Availability.UPCOMING:
        return adapter.message("quest_not_open_yet")
    if status.availability is Availability.ENDED:
        return adapter.message("quest_ended")
    if status.availability is Availability.NEVER_OPENS:
        if status.event is not None:
            return adapter.message("quest_outside_event", event=status.event.name)
        return adapter.message("quest_never_opens")
    return adapter.message("quest_not_available")


def prerequisites_text(titles: tuple[str, ...], unnamed: int) -> str:
    """ "Complete 'A' and 'B' first", counting quests that cannot be named."""
    adapter = get_adapter()
    if titles and not unnamed:
        return adapter.message("locked_quests", quests=quoted_list(titles))
    if titles:
        others = adapter.message("other_quests", count=unnamed)
        return adapter.message(
            "locked_quests_and_others", quests=quoted_list(titles), others=others
        )
    return adapter.message("locked_unnamed_quests", count=unnamed)


def reward_requirement_text(
    progress: RewardProgress | None, *, event: PerformanceWindow | None = None
) -> str:
    """What is still needed for a reward ("Reach Silver — 120 points to go").

    A reward tied to a performance (``event``) is given only during it, and says so: it is
    never promised for another time.
    """
    adapter = get_adapter()
    if event is not None:
        if progress is not None and progress.fraction >= 1.0:
            return adapter.message("reward_at_event", event=event.name)
        during = adapter.message("reward_during_event", event=event.name)
        return f"{_requirement_text(progress)}. {during}"
    return _requirement_text(progress)


def _requirement_text(progress: RewardProgress | None) -> str:
    adapter = get_adapter()
    if progress is None:
        return adapter.message("reward_by_hand")
    if progress.fraction >= 1.0:
        return adapter.message("reward_requirement_met")
    if progress.quests_total:
        done = adapter.message(
            "reward_quests_done", done=progress.quests_done, total=progress.quests_total
        )
        if progress.missing_quests:
            following = adapter.message(
                "reward_next_quests", quests=quoted_list(progress.missing_quests)
            )
            return f"{done}. {following}"
        return done
    if progress.tier_name:
        return lock_text(
            LockReason(
                kind=LockKind.TIER, points_to_go=progress.points_to_go, tier_name=progress.tier_name
            )
        )
    return adapter.message("reward_higher_tier")


def number_text(count: int) -> str:
    """A count with the locale's thousands grouping (1,500 / 1 500)."""
    return number_format(count, force_grouping=True)


def duration_text(span: timedelta) -> str:
    """A short, rounded duration: '2 h 15 min', '45 min', 'less than a minute'."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return _("less than a minute")
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return ngettext("%(count)s day", "%(count)s days", hours // 24) % {"count": hours // 24}
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}
