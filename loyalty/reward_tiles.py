"""The wallet's reward cards, computed in Python so templates hold no logic.

Each tile bundles a reward with the fan's copy when they hold it: how to use it (the QR
of a pass, a prize code, a delivery status in the fan's words), what still stands
between the fan and it, and the one date that matters, already in words. Quest tiles live
in :mod:`loyalty.presentation`; both share its :class:`~loyalty.presentation.Links`.

Rendering the cards is most of the wallet's CPU, so a tile carries every value its card
prints as a plain attribute (dates formatted, chips chosen, words translated), worked out
once per page by :class:`TileWords` rather than once per card by template filters.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import NamedTuple

from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from loyalty import rules, wording
from loyalty.adapter import get_adapter
from loyalty.presentation import Links, Section, TemplateTile, first_cards
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

#: The icon of a card without an image, and of each compact row, by reward type.
REWARD_TYPE_ICONS = {"pass": "qr", "badge": "trophy"}

#: The state chip of a held reward: its words and its icon, by ``RewardTile.state_chip``
#: (the chip's class is ``tb-pill--<state_chip>``). Colour never carries a state alone.
STATE_CHIPS = {
    "ready": (gettext_lazy("Ready to use"), "check"),
    "warning": (gettext_lazy("Expires today"), "clock"),
}

#: The words before the one date a card shows: past for what can no longer be used.
EXPIRY_LABELS = {
    "upcoming": gettext_lazy("Expires"),
    "past": gettext_lazy("Expired"),
}


#: The words a card prints beside its tile's values, by ``tile.words.<key>``: translated once
#: per page, where a ``{% translate %}`` in the card would translate them once per card.
CARD_WORDS = {
    "new": gettext_lazy("New"),
    "show_pass": gettext_lazy("Show pass"),
    "done": pgettext_lazy("closes the full-screen pass", "Done"),
    "brightness_hint": gettext_lazy(
        "Turn your screen brightness up and hold the code to the scanner."
    ),
    "not_valid_yet": gettext_lazy("Not valid yet."),
    "valid_from": gettext_lazy("Valid from"),
    "until": gettext_lazy("until"),
    "reveal_code": gettext_lazy("Reveal your code"),
    "copy": gettext_lazy("Copy"),
    "copied": gettext_lazy("Copied"),
    "delivery": gettext_lazy("Delivery:"),
}


@dataclass(frozen=True)
class RewardTile(TemplateTile):
    """One reward as the wallet shows it: everything its card prints, worked out once
    (read by subscript, :class:`~loyalty.presentation.TemplateTile`)."""

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
    #: The one line of a compact row (``reward_list.html``): what it is (on its way),
    #: how to get it (special), or why it cannot be had (all claimed); empty when the
    #: row's date says it (expired).
    summary: str = ""
    standing: str = ""
    anchor: str = ""
    #: The icon of a card without an image, and of a compact row (an ``{% icon %}`` name).
    art_icon: str = "rewards"
    #: A held reward's state chip: "ready" or "warning" (expires today), else empty;
    #: ``state_label`` and ``state_icon`` are its words and its icon.
    state_chip: str = ""
    state_label: str = ""
    state_icon: str = ""
    not_yet_valid: bool = False
    pass_code: str = ""
    #: A pass's validity window in the fan's locale (``*_iso`` for ``<time datetime>``).
    valid_from_text: str = ""
    valid_from_iso: str = ""
    valid_until_text: str = ""
    valid_until_iso: str = ""
    #: The one date the card shows (``expires_at``): "Expires" or "Expired", and the date.
    expiry_label: str = ""
    expires_text: str = ""
    expires_iso: str = ""
    #: How far toward the reward, in whole percent (``percent_text`` prints it).
    percent: int = 0
    percent_text: str = "0"
    #: What a screen reader says for a pass's QR code ("QR code of your pass <title>").
    qr_label: str = ""
    #: The card's own words (:data:`CARD_WORDS`), shared by every tile of the page.
    words: TileWords | None = field(default=None, compare=False, repr=False)

    @property
    def progress(self) -> rules.RewardProgress | None:
        """The bar of a reward the fan is working toward; None elsewhere."""
        if self.card.standing is rules.RewardStanding.WORKING_TOWARD:
            return self.card.progress
        return None


class Moment(NamedTuple):
    """A date as a card prints it: for ``<time datetime>``, and in the fan's words."""

    iso: SafeString
    text: SafeString


@dataclass
class TileWords:
    """What many tiles of one page print the same way, each worked out once per page.

    A date filter in a template costs more than the rest of a card; a wallet's cards share
    a handful of dates (a season's end), so each is formatted once here, in the page's
    language and time zone.
    """

    now: datetime
    links: Links = field(default_factory=Links)
    _moments: dict[tuple[datetime, str], Moment] = field(default_factory=dict, init=False)
    _words: dict[str, SafeString] = field(default_factory=dict, init=False)
    _requirements: dict[object, str] = field(default_factory=dict, init=False)

    @cached_property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    def moment(self, value: datetime, style: str = "DATE_FORMAT") -> Moment:
        """``value`` as ``|date:'c'`` and ``|date:style`` would print it."""
        key = (value, style)
        found = self._moments.get(key)
        if found is None:
            local = timezone.template_localtime(value)
            found = self._moments[key] = Moment(
                SafeString(local.isoformat()),  # digits, dashes and colons
                _escaped(formats.date_format(local, style)),
            )
        return found

    def requirement(self, card: rules.RewardCard) -> str:
        """What stands between the fan and the reward, phrased once per page for each gap
        (rewards tied to one tier share theirs)."""
        if card.held is not None:
            return ""
        key = (card.standing, card.progress, card.event)
        found = self._requirements.get(key)
        if found is None:
            found = self._requirements[key] = _requirement(card)
        return found

    def local_date(self, value: datetime) -> date:
        return timezone.template_localtime(value).date()

    def __getitem__(self, key: str) -> SafeString:
        """``words.show_pass`` in a template: one of :data:`CARD_WORDS`, translated."""
        return self.text(f"word:{key}", CARD_WORDS[key])

    def text(self, key: str, lazy: object) -> SafeString:
        """``lazy`` (a lazily translated string) translated and escaped once per page."""
        found = self._words.get(key)
        if found is None:
            found = self._words[key] = _escaped(str(lazy))
        return found


def reward_tile(
    card: rules.RewardCard,
    *,
    state: PortalState,
    links: Links | None = None,
    words: TileWords | None = None,
) -> RewardTile:
    """The wallet card of one reward, with the fan's own copy when they hold it."""
    words = words if words is not None else TileWords(now=state.now, links=links or Links())
    links = words.links
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
    valid_from = card.held.valid_from if card.held else None
    valid_until = card.held.valid_until if card.held else None
    # A pass with a validity window shows that window's end, and no second date: the
    # reward's own expiry (often the season's end) is not when this pass stops working.
    expires_at = None if valid_until else _end_date(card, now=state.now)
    requirement = words.requirement(card)
    standing = card.standing
    window_from = words.moment(valid_from, "DATETIME_FORMAT") if valid_from else None
    window_until = words.moment(valid_until, "DATETIME_FORMAT") if valid_until else None
    expiry = words.moment(expires_at) if expires_at else None
    chip = _state_chip(card, expires_at, words) if standing is rules.RewardStanding.HELD else ""
    chip_label, chip_icon = STATE_CHIPS.get(chip, ("", ""))
    percent = card.progress.percent if card.progress else 0
    past = standing in (rules.RewardStanding.EXPIRED, rules.RewardStanding.CLOSED)
    return RewardTile(
        card=card,
        title=title,
        description=description,
        reward_type=reward_type,
        type_label=words.text(
            f"type:{reward_type}", REWARD_TYPE_LABELS.get(reward_type, reward_type)
        ),
        image_url=links.media_url(media_uid, width=320) if media_uid else None,
        requirement=requirement,
        held=held,
        qr_svg=qr,
        prize_code=prize,
        usage_note=note,
        delivery_status=status,
        valid_from=valid_from,
        valid_until=valid_until,
        expires_at=expires_at,
        apple_wallet_url=apple_url,
        google_wallet_url=google_url,
        summary=_summary(standing, requirement=requirement, description=description),
        # Printed several times a card: escaped once here (the id comes from the API).
        standing=SafeString(standing.value),  # one of RewardStanding's words
        anchor=_escaped(f"reward-{card.reward_id}"),
        art_icon=REWARD_TYPE_ICONS.get(reward_type, "rewards"),
        state_chip=SafeString(chip),  # a key of STATE_CHIPS
        state_label=words.text(f"chip:{chip}", chip_label) if chip else "",
        state_icon=chip_icon,
        not_yet_valid=card.not_yet_valid,
        pass_code=(held.pass_code or "") if held is not None else "",
        valid_from_text=window_from.text if window_from else "",
        valid_from_iso=window_from.iso if window_from else "",
        valid_until_text=window_until.text if window_until else "",
        valid_until_iso=window_until.iso if window_until else "",
        expiry_label=_expiry_label(words, past=past) if expiry else "",
        expires_text=expiry.text if expiry else "",
        expires_iso=expiry.iso if expiry else "",
        percent=percent,
        percent_text=SafeString(percent),  # digits
        # Translators: what a screen reader says for the QR code of a pass.
        qr_label=gettext("QR code of your pass %(title)s") % {"title": title} if qr else "",
        words=words,
    )


def _escaped(text: str) -> SafeString:
    """``text`` escaped as Django's ``escape`` does, without its lazy-string wrapper: a tile
    escapes what its card prints several times (its anchor) once, here."""
    return SafeString(html.escape(text))


def _expiry_label(words: TileWords, *, past: bool) -> str:
    when = "past" if past else "upcoming"
    return words.text(f"expiry:{when}", EXPIRY_LABELS[when])


def _state_chip(card: rules.RewardCard, expires_at: datetime | None, words: TileWords) -> str:
    """A held reward's chip: "Expires today" first, else "Ready to use" once valid."""
    if expires_at is not None and words.local_date(expires_at) == words.today:
        return "warning"
    return "" if card.not_yet_valid else "ready"


def _summary(standing: rules.RewardStanding, *, requirement: str, description: str) -> str:
    """The one line of a compact row (see ``RewardTile.summary``)."""
    if standing is rules.RewardStanding.ON_ITS_WAY:
        # Earned: the section says it is coming; the row says what it is.
        return description or requirement
    if standing in (rules.RewardStanding.EXPIRED, rules.RewardStanding.CLOSED):
        return ""
    return requirement or description


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


def reward_tiles(
    cards: Sequence[rules.RewardCard],
    *,
    state: PortalState,
    words: TileWords | None = None,
) -> list[RewardTile]:
    """The tiles of ``cards``, sharing one :class:`TileWords` (each date formatted once)."""
    words = words if words is not None else TileWords(now=state.now)
    return [reward_tile(card, state=state, words=words) for card in cards]


class WalletSection(NamedTuple):
    """How many cards a wallet section shows before "Show all", and the id of its heading
    (where that link scrolls to)."""

    limit: int
    anchor: str


#: The wallet's sections by ``?show=`` key, in page order. A festival can offer hundreds
#: of rewards: the page builds and sends only the cards it shows. What the fan holds and
#: what they can earn next are full cards (a pass's QR, a code to reveal, a progress bar);
#: on its way, special and expired are compact rows (``reward_list.html``), as the
#: Starbucks and Nike rewards pages list what a fan only glances at. Rewards to earn come
#: closest first, and the next three are what a fan acts on (one row of cards on a
#: desktop, a thumb's scroll on a phone): the rest are a "Show all" away.
WALLET_SECTIONS = {
    "held": WalletSection(12, "held-heading"),
    "on_its_way": WalletSection(6, "way-heading"),
    "working_toward": WalletSection(3, "earn-heading"),
    "manual": WalletSection(6, "special-heading"),
    "expired": WalletSection(6, "expired-heading"),
}


def wallet_section(
    name: str,
    cards: tuple[rules.RewardCard, ...],
    *,
    state: PortalState,
    show_all: bool,
    words: TileWords | None = None,
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
    tiles = reward_tiles(shown, state=state, words=words)
    return Section(name, tiles, len(cards), text, url)


def wallet_sections(*, state: PortalState, show: str) -> Mapping[str, Section[RewardTile]]:
    """Every section of the wallet page, by name; ``show`` names the one shown whole."""
    groups = state.wallet
    cards = {
        "held": groups.held,
        "on_its_way": groups.on_its_way,
        "working_toward": groups.working_toward,
        "manual": groups.manual,
        "expired": groups.expired + groups.unavailable,
    }
    words = TileWords(now=state.now)
    return {
        name: wallet_section(name, cards[name], state=state, show_all=show == name, words=words)
        for name in WALLET_SECTIONS
    }
