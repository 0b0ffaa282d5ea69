"""Why the API refused a completion, recognised from its answer and said in our words.

A 400 or 404 on a completion means the service is up and the action was not done: the
quest ended or is locked upstream, the code or number was not accepted. That is an
answer for the fan, not an error page (401 is an expired session, 429 a rate limit, 5xx an
outage: each has its own page, from the accounts middleware).
"""

from __future__ import annotations

import enum
import re

from loyalty.adapter import get_adapter
from tbits_client import BadRequest, NotFound, TbitsError

#: What the API answers when it refuses what was asked: it is up, the action was not done.
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
    """What to tell the fan about a refused completion: the adapter's ``refused_<reason>``."""
    return get_adapter().message(f"refused_{reason}")
