"""Which point type is a business's currency, decided from documented answers.

The reference documents no answer that names the point type a business uses: it is assigned
in the admin UI ("Business > Fan Loyalty Portal", loyalty-portal-integration.txt, Setup
Process, Step 2), and "Get a list of businesses" (api-reference.txt, Apps Calls) prints no
point field. What the documented calls do give is the account's point types ("List point
types", GET /api/v1/crm/points) and, on each quest, its ``point_uid`` ("Get quests for a
performance"). So the currency is chosen, first match wins, from:

1. ``TBITS["POINT_TYPE"]``, the point type's ``point_name`` or ``point_uid``: the operator's
   word, needed on an account with several point types;
2. the business's own ``point_uid``, when the API answers that undocumented field;
3. the account's only point type;
4. the one ``point_uid`` every quest of the business that carries one agrees on.

Anything else is ambiguous, and guessing would show fans a balance in the wrong currency, so
nothing is chosen: ``tbits_check`` reports it with the setting to add, and the portal counts
no balance rather than a wrong one. Pure: it takes the API's answers, not the client.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tbits_client import Business, PointType, Quest


class PointTypeSource(enum.StrEnum):
    """Where the business's point type came from, or why there is none."""

    SETTING = "setting"
    BUSINESS = "business"
    ONLY_ONE = "only_one"
    QUESTS = "quests"
    # Nothing chosen:
    NOT_FOUND = "not_found"  # the setting names no point type of the account
    AMBIGUOUS = "ambiguous"  # several point types and nothing says which
    NONE = "none"  # the account has no point type at all


@dataclass(frozen=True)
class PointTypeChoice:
    """The chosen point type (uid and name), or None of them with the reason."""

    point_uid: str | None
    point_name: str | None
    source: PointTypeSource

    @property
    def chosen(self) -> bool:
        return self.point_uid is not None


def choose_point_type(
    *,
    configured: str | None,
    point_types: Sequence[PointType],
    business: Business | None,
    quests: Iterable[Quest] = (),
) -> PointTypeChoice:
    """The business's point type, by the order in the module docstring."""
    if configured:
        match = _named(point_types, configured)
        if match is None:
            return PointTypeChoice(None, None, PointTypeSource.NOT_FOUND)
        return PointTypeChoice(match.point_uid, match.point_name, PointTypeSource.SETTING)
    if business is not None and business.point_uid:
        listed = _named(point_types, business.point_uid)
        name = listed.point_name if listed is not None else business.point_name
        return PointTypeChoice(business.point_uid, name, PointTypeSource.BUSINESS)
    if len(point_types) == 1:
        only = point_types[0]
        return PointTypeChoice(only.point_uid, only.point_name, PointTypeSource.ONLY_ONE)
    if not point_types:
        return PointTypeChoice(None, None, PointTypeSource.NONE)
    used = {quest.point_uid for quest in quests if quest.point_uid}
    if len(used) == 1:
        listed = _named(point_types, next(iter(used)))
        if listed is not None:
            return PointTypeChoice(listed.point_uid, listed.point_name, PointTypeSource.QUESTS)
    return PointTypeChoice(None, None, PointTypeSource.AMBIGUOUS)


def configured_uid(configured: str | None, business: Business | None) -> str | None:
    """The point_uid known before the point types are listed: the tiers can go out at once.

    That is the setting when it is a uid (a name needs the list to find its uid), else the
    business's own undocumented ``point_uid``.
    """
    if configured:
        return configured if _looks_like_uid(configured) else None
    if business is not None and business.point_uid:
        return business.point_uid
    return None


def _named(point_types: Iterable[PointType], value: str) -> PointType | None:
    """The point type whose uid or name is ``value`` (a uid wins)."""
    types = list(point_types)
    wanted = value.strip()
    by_uid = next((item for item in types if item.point_uid == wanted), None)
    if by_uid is not None:
        return by_uid
    return next((item for item in types if item.point_name == wanted), None)


def _looks_like_uid(value: str) -> bool:
    """Point uids are UUIDs (36 characters, four hyphens); names are free text."""
    text = value.strip()
    return len(text) == 36 and text.count("-") == 4
