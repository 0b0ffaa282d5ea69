"""The wallet's reward cards, computed in Python so templates hold no logic.

Each tile bundles a reward with the fan's copy when they hold it: how to use it (the QR
of a pass, a prize code, a delivery status in the fan's words), what still stands
between the fan and it, and the one date that matters. Quest tiles live in
:mod:`loyalty.presentation`; both share its :class:`~loyalty.presentation.Links`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from loyalty import rules, wording
from loyalty.adapter import get_adapter
from loyalty.presentation import Links, Section, first_cards
from loyalty.qr import qr_svg
from loyalty.selectors import PortalState
from loyalty.wallet_passes.links import wallet_links
from tbits_client import FanReward, Reward

REWARD_TYPE_LABELS = {
    "badge": gettext_lazy("Badge"),
    "pass": gettext_lazy("Pass"),
    "prize_code": gettext_lazy("Prize code"),
    "atvenu": gettext_lazy("Venue promotion"),
    "bestring": gettext_lazy("Wristband promotion"),
}


@dataclass(frozen=True)
class RewardTile:
    """One reward as the wallet shows it."""

    card: rules.RewardCard
    title: str
    description: str
    reward_type: str
    type_label: str
    image_url: str | None
    requirement: str
    held: FanReward | None
    qr_svg: SafeString | None
    prize_code: str
    usage_note: str
    delivery_status: str
    valid_from: datetime | None
    valid_until: datetime | None
    expires_at: datetime | None
    #: "Add to Apple Wallet" and "Save to Google Wallet": empty unless offered (see
    #: :func:`loyalty.wallet_passes.links.wallet_links`).
    apple_wallet_url: str = ""
    google_wallet_url: str = ""

    @property
    def percent(self) -> int:
        return self.card.progress.percent if self.card.progress else 0

    @property
    def anchor(self) -> str:
        return f"reward-{self.card.reward_id}"

    @property
    def standing(self) -> str:
        return str(self.card.standing)


def reward_tile(
    card: rules.RewardCard, *, state: PortalState, links: Links | None = None
) -> RewardTile:
    """The wallet card of one reward, with the fan's own copy when they hold it."""
    links = links if links is not None else Links()
    reward: Reward | None = state.rewards_by_id.get(card.reward_id)
    held = (
        state.fan.rewards[int(card.held.key)] if card.held is not None and card.held.key else None
    )
    reward_type = str(
        (held.reward_type if held else None) or (reward.reward_type if reward else "") or ""
    )
    title = (held.reward_title if held else None) or (reward.reward_title if reward else "") or ""
    description = (
        (reward.description if reward else None) or (held.description if held else None) or ""
    )
    media_uid = (reward.media_uid if reward else None) or (held.media_uid if held else None)
    qr = None
    prize = ""
    note = ""
    status = ""
    apple_url = google_url = ""
    if held is not None:
        qr, prize, note, status = _how_to_use(held, reward, reward_type, links)
        apple_url, google_url = wallet_links(held)
    return RewardTile(
        card=card,
        title=title,
        description=description,
        reward_type=reward_type,
        type_label=str(REWARD_TYPE_LABELS.get(reward_type, reward_type)),
        image_url=links.media_url(media_uid, width=320) if media_uid else None,
        requirement=_requirement(card),
        held=held,
        qr_svg=qr,
        prize_code=prize,
        usage_note=note,
        delivery_status=status,
        valid_from=card.held.valid_from if card.held else None,
        valid_until=card.held.valid_until if card.held else None,
        # A pass with a validity window shows that window's end, and no second date: the
        # reward's own expiry (often the season's end) is not when this pass stops working.
        expires_at=None if card.held and card.held.valid_until else _end_date(card, now=state.now),
        apple_wallet_url=apple_url,
        google_wallet_url=google_url,
    )


# What the API's delivery ``status`` words mean to a fan; another word is not shown raw.
DELIVERY_STATUS_LABELS = {
    "pushed": gettext_lazy("Sent to the venue's system"),
    "delivered": gettext_lazy("Delivered"),
}


def _how_to_use(
    held: FanReward, reward: Reward | None, reward_type: str, links: Links
) -> tuple[SafeString | None, str, str, str]:
    """The QR, the code, the usage note and the delivery status of a reward the fan holds.

    The pass code and the prize code are fields the reference does not document on a fan's
    rewards (docs/endpoints.md, "Fields used when present"). Without them the card says
    where the code is instead (the provider's own notification, "optionally sends an SMS
    and/or email notification"), rather than showing no QR and no word about it.
    """
    qr, prize, note, status = None, "", "", ""
    if reward_type == "pass":
        if held.pass_code:
            qr = qr_svg(held.pass_code)
            note = links.word("pass_usage")
        else:
            note = links.word("pass_code_sent_separately")
    elif reward_type == "prize_code":
        if held.prize_code:
            prize = held.prize_code
            single = bool(reward and reward.is_limited)
            note = links.word("prize_code_single_use") if single else links.word("prize_code_usage")
        else:
            note = links.word("prize_code_sent_separately")
    elif reward_type in ("atvenu", "bestring"):
        status = str(DELIVERY_STATUS_LABELS.get(str(held.status or ""), ""))
        note = links.word(f"{reward_type}_usage")
    return qr, prize, note, status


def _requirement(card: rules.RewardCard) -> str:
    """What stands between the fan and a reward they do not hold."""
    if card.held is not None or card.standing is rules.RewardStanding.CLOSED:
        return ""
    if card.standing is rules.RewardStanding.SOLD_OUT:
        return get_adapter().message("reward_all_claimed")
    return wording.reward_requirement_text(card.progress, event=card.event)


def _end_date(card: rules.RewardCard, *, now: datetime) -> datetime | None:
    """The date the wallet shows: the pass window's end once that is what ended it."""
    held = card.held
    if held is not None and held.valid_until is not None and held.valid_until <= now:
        return held.valid_until
    if held is not None and held.expires_at is not None:
        return held.expires_at
    return card.reward.expires_at if card.reward is not None else None


def reward_tiles(cards: Sequence[rules.RewardCard], *, state: PortalState) -> list[RewardTile]:
    links = Links()
    return [reward_tile(card, state=state, links=links) for card in cards]


#: How many cards each wallet section shows before "Show all" (a festival can offer hundreds
#: of rewards: the page builds and sends only the cards it shows), by ``?show=`` key, with
#: the id of the section's heading the link scrolls to.
WALLET_SECTIONS = {
    "held": (12, "held-heading"),
    "on_its_way": (6, "way-heading"),
    "working_toward": (6, "earn-heading"),
    "manual": (6, "special-heading"),
    "expired": (6, "expired-heading"),
}


def wallet_section(
    name: str, cards: tuple[rules.RewardCard, ...], *, state: PortalState, show_all: bool
) -> Section[RewardTile]:
    """One wallet section: its first :data:`WALLET_SECTIONS` cards unless ``show_all``."""
    limit, anchor = WALLET_SECTIONS[name]
    shown, text, url = first_cards(
        cards,
        key=name,
        limit=limit,
        show_all=show_all,
        message=f"show_all_{name}",
        anchor=anchor,
    )
    return Section(name, reward_tiles(shown, state=state), len(cards), text, url)
