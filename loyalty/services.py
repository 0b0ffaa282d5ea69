"""Writes: completing quests (custom, link, scan, wristband) and picking a business.

Every completion goes through :func:`complete_quest`, which checks the quest is the fan's
to complete now (status, window, type), records it once even when a form is submitted
twice, refreshes the fan's cached data and phrases what changed: the points earned, a tier
reached, rewards received or on their way. When the API refuses the completion (a 400 or
404: the service is up, the action was not done), it says why in the portal's own words.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.api import get_client
from accounts.app_settings import app_settings
from loyalty import rules, selectors, wording
from loyalty.app_settings import loyalty_settings
from tbits_client import BadRequest, NotFound, Quest, SessionExpired, TbitsError

logger = logging.getLogger(__name__)

#: Quest types the portal itself completes; campaign quests complete inside the campaign.
SELF_COMPLETED_TYPES = frozenset({"custom", "link_url", "scan", "wristband"})
_SCAN_SALT = "tbits_loyalty.scan"
_LOCK_SECONDS = 30


class Outcome(enum.StrEnum):
    """What became of a completion attempt."""

    COMPLETED = "completed"
    ALREADY_DONE = "already_done"
    IN_PROGRESS = "in_progress"
    NOT_AVAILABLE = "not_available"
    NOT_FOUND = "not_found"
    REFUSED = "refused"


@dataclass(frozen=True)
class Completion:
    """The result of a completion attempt and the sentence to show the fan."""

    outcome: Outcome
    message: str
    points_earned: int = 0
    tier_reached: str = ""
    rewards: tuple[str, ...] = ()
    quest: Quest | None = None

    @property
    def ok(self) -> bool:
        """Whether the quest is now completed (by this attempt or an earlier one)."""
        return self.outcome in (Outcome.COMPLETED, Outcome.ALREADY_DONE, Outcome.IN_PROGRESS)


class QuestNotCompletable(Exception):
    """The quest exists but is not the fan's to complete in this way right now."""


def unavailable_text(card: rules.QuestCard) -> str:
    """Why a quest cannot be completed now, in a sentence."""
    status = card.status
    if status.state is rules.QuestState.COMPLETED:
        return _("You have already completed this quest.")
    if status.lock is not None:
        return wording.lock_text(status.lock)
    if status.availability is rules.Availability.UPCOMING:
        return _("This quest is not open yet.")
    if status.availability is rules.Availability.ENDED:
        return _("This quest has ended.")
    return _("This quest is not available.")


# --- refusals ---------------------------------------------------------------------------

#: What the API answers when it refuses what was asked: it is up, the action was not done.
#: (401 is an expired fan session, 429 a rate limit, 5xx an outage: each has its own page.)
REFUSALS = (BadRequest, NotFound)
#: The client's endpoint that links a wristband; its refusals are about the number typed.
_REGISTRATION_ENDPOINT = "crm_fan_registration_create"


class Refusal(enum.StrEnum):
    """Why the API refused a completion, as far as its answer tells."""

    UNKNOWN_QUEST = "unknown_quest"
    ENDED = "ended"
    NOT_OPEN = "not_open"
    LOCKED = "locked"
    CODE_REJECTED = "code_rejected"
    WRISTBAND_REJECTED = "wristband_rejected"
    OTHER = "other"


# Matched against the API's (already redacted) message, in this order; the first wins. The
# provider documents no reason codes, so its words are recognised, never shown: they are
# not translated and could echo anything that was sent.
_REFUSAL_PATTERNS: tuple[tuple[Refusal, re.Pattern[str]], ...] = (
    (Refusal.CODE_REJECTED, re.compile(r"\b(code|barcode|token|scan)\b")),
    (
        Refusal.UNKNOWN_QUEST,
        re.compile(
            r"\b(no such|unknown|not found|does not exist|invalid)\b.*\b(quest|page_tab_id)\b"
            r"|\b(quest|page_tab_id)\b.*\b(not found|does not exist)\b"
        ),
    ),
    (
        Refusal.LOCKED,
        re.compile(
            r"\b(locked|restrict\w*|tiers?|eligib\w*|ineligib\w*|prerequisites?|requirements?)\b"
        ),
    ),
    (Refusal.NOT_OPEN, re.compile(r"\bnot (yet )?(started|open|begun)\b|\bupcoming\b")),
    (Refusal.ENDED, re.compile(r"\b(ended|expired|closed|finished|no longer)\b")),
)


def refusal_reason(error: TbitsError) -> Refusal:
    """Why the API refused a completion, from which call refused and what it said."""
    if error.endpoint == _REGISTRATION_ENDPOINT:
        return Refusal.WRISTBAND_REJECTED
    text = (error.message or "").lower()
    for reason, pattern in _REFUSAL_PATTERNS:
        if pattern.search(text):
            return reason
    if isinstance(error, NotFound) and not re.search(r"\b(fan|business)\b", text):
        # The business and the fan were read from the API a moment ago; what is left in
        # the path is the quest.
        return Refusal.UNKNOWN_QUEST
    return Refusal.OTHER


def refusal_text(reason: Refusal) -> str:
    """What to tell the fan about a refused completion, in a sentence."""
    texts = {
        Refusal.UNKNOWN_QUEST: _("This quest can no longer be completed: it is not available."),
        Refusal.ENDED: _("This quest can no longer be completed: it has ended."),
        Refusal.NOT_OPEN: _("This quest cannot be completed yet: it has not started."),
        Refusal.LOCKED: _("This quest cannot be completed yet: it is still locked for you."),
        Refusal.CODE_REJECTED: _("The quest could not be completed: the code was not accepted."),
        Refusal.WRISTBAND_REJECTED: _(
            "The quest could not be completed: this wristband or ticket number was not "
            "accepted. Check it and try again."
        ),
    }
    return texts.get(
        reason, _("The quest could not be completed: the loyalty service did not accept it.")
    )


def complete_quest(
    request: HttpRequest,
    *,
    quest_id: int,
    quest_types: frozenset[str],
    before_complete: Callable[[], None] | None = None,
) -> Completion:
    """Complete ``quest_id`` for ``request.fan`` if it is theirs to complete now.

    ``quest_types`` are the types this entry point may complete (the custom button may not
    complete a scan quest). ``before_complete`` runs inside the double-submit lock, just
    before the API call (the wristband registration). A second submit while the first is
    running, or after it, does not complete twice: the API is idempotent and a short cache
    lock keeps the message from being shown twice.

    A refusal by the API (400/404: the quest ended or is locked upstream, the number was
    not accepted) is an outcome, ``REFUSED``, with the reason in plain words; an expired
    session, a rate limit or an outage still raises, for the error pages.
    """
    # The rewards the fan holds are not needed (see _new_rewards): no call for them.
    state = selectors.portal_state(request, with_rewards=False)
    quest = state.quests_by_id.get(quest_id)
    card = state.card_for(quest_id)
    if quest is None or card is None or card.status.state is rules.QuestState.HIDDEN:
        return Completion(Outcome.NOT_FOUND, _("This quest is not available."))
    if card.status.state is rules.QuestState.COMPLETED:
        return Completion(
            Outcome.ALREADY_DONE, _("You have already completed this quest."), quest=quest
        )
    if card.quest.quest_type not in quest_types or card.quest.quest_type not in (
        SELF_COMPLETED_TYPES
    ):
        return Completion(
            Outcome.NOT_AVAILABLE, _("This quest is completed another way."), quest=quest
        )
    if not card.status.actionable:
        return Completion(Outcome.NOT_AVAILABLE, unavailable_text(card), quest=quest)

    fan = request.fan  # type: ignore[attr-defined]
    business_id = selectors.selected_business_id(request)
    lock_key = f"tbits_loyalty:v1:completing:{business_id}:{fan.fan_id}:{quest_id}"
    cache = app_settings.cache()
    if not cache.add(lock_key, 1, _LOCK_SECONDS):
        return Completion(
            Outcome.IN_PROGRESS, _("We are already recording this quest for you."), quest=quest
        )
    try:
        if before_complete is not None:
            before_complete()
        get_client().complete_quest(business_id, quest_id, fan.fan_id)
    except REFUSALS as error:
        # Refused, not failed: nothing was recorded, and the fan's cached data still says
        # what is true, so it is kept (dropping it would lose the copy served when the API
        # is down). The lock goes, so a corrected wristband number can be sent at once.
        cache.delete(lock_key)
        logger.warning("Quest %s: the API refused the completion: %s", quest_id, error)
        return Completion(Outcome.REFUSED, refusal_text(refusal_reason(error)), quest=quest)
    except Exception:
        # Let the fan try again at once rather than wait for the lock to expire.
        cache.delete(lock_key)
        raise
    selectors.forget_fan(request)
    selectors.reset_request_memo(request)
    after = selectors.portal_state(request, with_rewards=False)
    return _describe(before=state, after=after, quest=quest)


def _describe(
    *, before: selectors.PortalState, after: selectors.PortalState, quest: Quest
) -> Completion:
    earned = after.fan.points - before.fan.points
    if earned <= 0:
        # The balance may lag behind the completion; the quest's own reward is what it gives.
        earned = quest.fan_points_reward or 0
    parts = [
        _("Quest complete: %(title)s.") % {"title": quest.quest_title},
    ]
    if earned > 0:
        parts.append(_("You earned %(points)s.") % {"points": wording.points(earned)})
    tier_reached = ""
    old_tier, new_tier = before.progress.current, after.progress.current
    if new_tier is not None and (old_tier is None or new_tier.tier_id != old_tier.tier_id):
        tier_reached = new_tier.name
        parts.append(_("You reached %(tier)s!") % {"tier": new_tier.name})
    rewards = _new_rewards(before, after)
    if rewards:
        parts.append(
            ngettext(
                "New reward: %(titles)s.",
                "New rewards: %(titles)s.",
                len(rewards),
            )
            % {"titles": wording.quoted_list(rewards)}
        )
    return Completion(
        Outcome.COMPLETED,
        " ".join(parts),
        points_earned=earned,
        tier_reached=tier_reached,
        rewards=rewards,
        quest=quest,
    )


def _new_rewards(before: selectors.PortalState, after: selectors.PortalState) -> tuple[str, ...]:
    """Titles of the rewards this completion earned: their requirement is met now, not before.

    Judged on the requirement alone, whether or not the provider has delivered the reward
    yet, so the fan's held rewards need not be fetched around a completion (a hand-assigned
    reward arriving meanwhile is not "earned" by the quest either). Sold-out and closed
    rewards are not announced.
    """

    def earned(state: selectors.PortalState) -> list[rules.RewardCard]:
        wallet = rules.reward_wallet(
            (selectors.reward_rule(reward) for reward in state.business.rewards),
            (),
            fan=state.standing,
            catalogue=state.catalogue,
            now=state.now,
        )
        return list(wallet.on_its_way)

    had = {card.reward_id for card in earned(before)}
    titles = []
    for card in earned(after):
        reward = after.rewards_by_id.get(card.reward_id)
        if card.reward_id not in had and reward is not None and reward.reward_title:
            titles.append(reward.reward_title)
    return tuple(titles)


# --- the fan's visit -------------------------------------------------------------------

_VISIT_SESSION_KEY = "tbits_loyalty.visit_recorded"


def record_portal_visit(request: HttpRequest) -> None:
    """Record a portal activity once per login, so automatic rewards reach this fan.

    The provider delivers tier and quest-set rewards only to fans with an activity; a
    completion creates one, but a fan whose points came from elsewhere may have none. This
    is best effort: a failure is logged and retried on a later page, never shown.
    """
    fan = request.fan  # type: ignore[attr-defined]
    marker = f"{selectors.selected_business_id(request)}:{fan.fan_id}"
    if request.session.get(_VISIT_SESSION_KEY) == marker:
        return
    try:
        get_client().create_fan_activity(fan.fan_id, campaign_title="Loyalty portal visit")
    except SessionExpired:
        raise
    except TbitsError as error:
        logger.warning("Could not record the portal visit: %s", error)
        return
    request.session[_VISIT_SESSION_KEY] = marker


# --- link_url quests ------------------------------------------------------------------


def safe_destination(quest: Quest | None) -> str | None:
    """The quest's own URL when it is an absolute http(s) URL, else None.

    The redirect only ever goes to the URL stored on the quest, never to one from the
    request, so it cannot be turned into an open redirect.
    """
    if quest is None or not quest.link_url:
        return None
    url = quest.link_url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "\\" in url:
        return None
    if any(ord(char) < 32 for char in url):
        return None
    return url


def campaign_url(quest: Quest) -> str | None:
    """Where a campaign or QuickPicks quest is played: ``CAMPAIGN_URL`` or its link."""
    template = loyalty_settings.CAMPAIGN_URL
    if template and quest.target_page_tab_id:
        candidate = str(template).format(
            target_page_tab_id=quest.target_page_tab_id, page_tab_id=quest.page_tab_id
        )
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.netloc:
            return candidate
    return safe_destination(quest)


# --- scan quests ----------------------------------------------------------------------


def scan_token(quest_id: int) -> str:
    """The signed value a venue QR code carries; it names one scan quest."""
    return signing.dumps({"q": int(quest_id)}, salt=_SCAN_SALT, compress=True)


def quest_id_from_scan_token(token: str) -> int | None:
    """The quest a scan token names, or None when it is forged, garbled or too old."""
    max_age = loyalty_settings.SCAN_MAX_AGE
    try:
        payload = signing.loads(token, salt=_SCAN_SALT, max_age=int(max_age) if max_age else None)
    except signing.BadSignature:
        return None
    value = payload.get("q") if isinstance(payload, dict) else None
    return value if isinstance(value, int) else None


# --- wristband quests -----------------------------------------------------------------


def register_wristband(request: HttpRequest, *, quest: Quest, barcode: str) -> None:
    """Link a wristband or ticket barcode to the fan, for the quest's performance.

    The CRM registration needs the fan's name and email, so the fan record is read first.
    The registration key is derived from performance and barcode, so a repeated submit
    updates the same registration instead of adding another.
    """
    client = get_client()
    fan = request.fan  # type: ignore[attr-defined]
    record = client.fan(fan.fan_id)
    state = selectors.portal_state(request)
    performance = state.performances_by_id.get(quest.performance_uid or "")
    event_date = (
        performance.performance_date.isoformat()
        if performance is not None and performance.performance_date
        else state.now.date().isoformat()
    )
    client.create_fan_registration(
        fan.fan_id,
        first_name=record.first_name or "",
        last_name=record.last_name or "",
        email=record.email or "",
        event_name=(performance.performance_name if performance else None) or quest.quest_title,
        event_date=event_date,
        registration_key=f"wristband-{quest.performance_uid or quest.page_tab_id}-{barcode}",
        registration_timestamp=state.now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        network="wristband",
        barcode=barcode,
        performance_uid=quest.performance_uid or "",
    )


# --- the business picker ----------------------------------------------------------------


def pick_business(request: HttpRequest, *, business_id: str) -> bool:
    """Remember the fan's business if it is one the portal offers; say whether it was."""
    offered = selectors.list_businesses(request).value
    if not any(str(b.business_id) == str(business_id) for b in offered):
        return False
    request.session[selectors.BUSINESS_SESSION_KEY] = str(business_id)
    selectors.reset_request_memo(request)
    return True
