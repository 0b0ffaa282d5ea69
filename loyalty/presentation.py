"""What the templates display, computed in Python so templates hold no logic.

Each tile bundles a quest or reward with its status, the sentence explaining it and the
call to action that fits its type; templates only print these. A quest's call to action
comes from the rules' table of quest kinds (:data:`loyalty.rules.QUEST_KINDS`), its words
from the loyalty adapter.
"""

from __future__ import annotations

import functools
import os
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import segno
from django.conf import settings
from django.template import Context
from django.template.base import Template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.api import get_client
from loyalty import rules, wording
from loyalty.adapter import DefaultLoyaltyAdapter, get_adapter
from loyalty.app_settings import loyalty_settings
from loyalty.links import campaign_url, safe_destination
from loyalty.selectors import PortalState
from tbits_client import FanReward, Quest, Reward, TbitsClient

#: The adapter's message for each status badge (a hidden quest has no card).
STATUS_LABEL_KEYS = {
    rules.QuestState.COMPLETED: "status_completed",
    rules.QuestState.LOCKED: "status_locked",
    rules.QuestState.ACTIVE: "status_active",
}


@dataclass(frozen=True)
class QuestTile:
    """One quest card."""

    quest: Quest
    card: rules.QuestCard
    action: rules.QuestAction
    action_url: str
    button_text: str
    explanation: str
    image_url: str | None
    status_label: str
    performance_name: str

    @property
    def state(self) -> str:
        return str(self.card.status.state)

    @property
    def points(self) -> int:
        return self.card.quest.points_reward

    @property
    def opens_at(self) -> datetime | None:
        return self.card.status.opens_at

    @property
    def closes_at(self) -> datetime | None:
        return self.card.status.closes_at

    @property
    def is_post(self) -> bool:
        return self.action.posts

    @property
    def anchor(self) -> str:
        return f"quest-{self.quest.page_tab_id}"


@dataclass
class Links:
    """URLs and words for many tiles of one page, each kind worked out once.

    ``reverse()``, the client's media URLs and the adapter's translated words cost more
    than the rest of a tile; a board of a hundred quests would otherwise pay them a
    hundred times.
    """

    client: TbitsClient = field(default_factory=get_client)
    adapter: DefaultLoyaltyAdapter = field(default_factory=get_adapter)
    _patterns: dict[str, str] = field(default_factory=dict, init=False)
    _media: dict[tuple[str, int], str] = field(default_factory=dict, init=False)
    _words: dict[str, str] = field(default_factory=dict, init=False)

    # An id no path prefix contains: reverse once with it, then put each quest's id in.
    _MARK = "2147483647"

    def quest_url(self, url_name: str, quest_id: int) -> str:
        """The portal URL ``tbits_loyalty:<url_name>`` of one quest."""
        pattern = self._patterns.get(url_name)
        if pattern is None:
            pattern = self._patterns[url_name] = reverse(
                f"tbits_loyalty:{url_name}", args=[int(self._MARK)]
            )
        return pattern.replace(self._MARK, str(int(quest_id)))

    def word(self, key: str) -> str:
        """The adapter's message ``key`` (without parameters), translated once per page."""
        text = self._words.get(key)
        if text is None:
            text = self._words[key] = self.adapter.message(key)
        return text

    def button_text(self, kind: rules.QuestKind) -> str:
        """The default button of a quest of ``kind``, translated once per page."""
        key = f"button:{kind}"
        text = self._words.get(key)
        if text is None:
            text = self._words[key] = self.adapter.button_text(kind)
        return text

    def status_label(self, state: rules.QuestState) -> str:
        key = STATUS_LABEL_KEYS.get(state)
        return self.word(key) if key else ""

    def media_url(self, media_uid: str, *, width: int) -> str:
        url = self._media.get((media_uid, width))
        if url is None:
            url = self._media[(media_uid, width)] = self.client.media_url(media_uid, width=width)
        return url


def quest_tile(
    card: rules.QuestCard, *, state: PortalState, links: Links | None = None
) -> QuestTile:
    """The card of one quest for this fan now."""
    links = links if links is not None else Links()
    quest = state.quests_by_id[card.quest.quest_id]
    status = card.status
    action, url, button, explanation = rules.QuestAction.NONE, "", "", ""
    if status.state is rules.QuestState.COMPLETED:
        explanation = links.word("status_completed")
    elif status.lock is not None:
        explanation = wording.lock_text(status.lock)
    elif status.availability is rules.Availability.UPCOMING:
        explanation = links.adapter.message("opens_at", when=_when(status.opens_at))
    else:
        action, url, button, explanation = _call_to_action(quest, card.quest.kind, links=links)
    if status.actionable and status.closes_at is not None and not explanation:
        explanation = links.adapter.message("open_until", when=_when(status.closes_at))
    performance = state.performances_by_id.get(quest.performance_uid or "")
    return QuestTile(
        quest=quest,
        card=card,
        action=action,
        action_url=url,
        button_text=button,
        explanation=explanation,
        image_url=links.media_url(quest.media_uid, width=480) if quest.media_uid else None,
        status_label=links.status_label(status.state),
        performance_name=(performance.performance_name or "") if performance else "",
    )


def _call_to_action(
    quest: Quest, kind: rules.QuestKind | None, *, links: Links
) -> tuple[rules.QuestAction, str, str, str]:
    """(action, URL, button, explanation) of an open quest, as its kind's rule says.

    A kind this portal does not know (one the API added) shows no action: the fan is not
    offered something the portal cannot complete.
    """
    rule = rules.QUEST_KINDS.get(kind) if kind is not None else None
    if rule is None or kind is None:
        return rules.QuestAction.NONE, "", "", ""
    button = quest.button_text or links.button_text(kind)
    if rule.action is rules.QuestAction.SCAN:
        # The scan page is reached through the venue's signed code, never from the card.
        return rule.action, "", "", links.word("scan_instruction")
    if rule.action is rules.QuestAction.OPEN:
        target = campaign_url(quest)
        if not target:
            return rules.QuestAction.NONE, "", "", links.word("campaign_elsewhere")
        return rule.action, target, button, ""
    if rule.action is rules.QuestAction.VISIT and not safe_destination(quest):
        return rules.QuestAction.NONE, "", "", links.word("link_unavailable")
    return rule.action, links.quest_url(rule.url_name, quest.page_tab_id), button, ""


def _when(moment: datetime | None) -> str:
    from django.utils import formats

    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


#: Quest tiles already built, per business snapshot (the last few, by identity; each set
#: holds its snapshot, so the id cannot be reused while it lives) and then by card. A tile
#: is a function of the card (the quest and the fan's status on it), the snapshot's quest
#: and performances, the language, the time zone, the URL prefix, ``CAMPAIGN_URL`` and the
#: adapter, so fans in the same state on a quest share it. Old snapshots go with their set.
_tile_sets: dict[int, tuple[object, dict[tuple[object, ...], QuestTile]]] = {}
_tiles_lock = threading.Lock()
TILE_SETS_KEPT = 4
TILE_CACHE_SIZE = 4096


def tiles(
    cards: tuple[rules.QuestCard, ...] | list[rules.QuestCard], *, state: PortalState
) -> list[QuestTile]:
    links = Links()
    business = state.business
    entry = _tile_sets.get(id(business))
    if entry is None or entry[0] is not business:
        with _tiles_lock:
            if len(_tile_sets) >= TILE_SETS_KEPT:
                del _tile_sets[next(iter(_tile_sets))]
            entry = _tile_sets[id(business)] = (business, {})
    known = entry[1]
    context = (
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        loyalty_settings.CAMPAIGN_URL,
        loyalty_settings.LOYALTY_ADAPTER,  # the tile's words
    )
    result = []
    for card in cards:
        key = (card, context)
        tile = known.get(key)
        if tile is None:
            tile = quest_tile(card, state=state, links=links)
            if len(known) >= TILE_CACHE_SIZE:
                known.clear()
            known[key] = tile
        result.append(tile)
    return result


@dataclass(frozen=True)
class EventSection:
    """One event on the board with its quests and, while it is on, the time left."""

    name: str
    live: bool
    starts_at: datetime
    time_left: str
    tiles: list[QuestTile]
    anchor: str


def event_sections(state: PortalState, *, live_only: bool = False) -> list[EventSection]:
    """The board's events in order; ``live_only`` for the ones on now (the dashboard's)."""
    sections = []
    for group in state.board.events:
        if live_only and not group.live:
            continue
        performance = state.performances_by_id.get(group.performance.performance_id)
        name = group.performance.name or (performance.performance_name if performance else "")
        sections.append(
            EventSection(
                name=name or _("Event"),
                live=group.live,
                starts_at=group.performance.starts_at,
                time_left=wording.duration_text(group.time_left or timedelta()),
                tiles=tiles(group.cards, state=state),
                anchor=f"event-{group.performance.performance_id}",
            )
        )
    return sections


# --- links every page shows -------------------------------------------------------------

#: The portal's own pages the navigation and the pages link to, by short name.
PORTAL_URL_NAMES = {
    "dashboard": "tbits_loyalty:dashboard",
    "quests": "tbits_loyalty:quests",
    "wallet": "tbits_loyalty:wallet",
    "leaderboard": "tbits_loyalty:leaderboard",
    "history": "tbits_loyalty:history",
    "business": "tbits_loyalty:business",
    "profile": "tbits_accounts:profile",
    "logout": "tbits_accounts:logout",
}

_portal_urls: dict[tuple[str, object, object], dict[str, str]] = {}


def portal_urls() -> dict[str, str]:
    """The URLs of :data:`PORTAL_URL_NAMES`, reversed once per URL prefix and URLconf.

    Every page links to all of them; ``{% url %}`` would reverse each on every view.
    """
    key = (get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    urls = _portal_urls.get(key)
    if urls is None:
        urls = {short: reverse(name) for short, name in PORTAL_URL_NAMES.items()}
        if len(_portal_urls) >= 16:
            _portal_urls.clear()
        _portal_urls[key] = urls
    return urls


# --- rewards ----------------------------------------------------------------------------

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

    @property
    def percent(self) -> int:
        return self.card.progress.percent if self.card.progress else 0

    @property
    def anchor(self) -> str:
        return f"reward-{self.card.reward_id}"

    @property
    def standing(self) -> str:
        return str(self.card.standing)


@functools.lru_cache(maxsize=512)
def qr_svg(value: str) -> SafeString:
    """An inline SVG QR code for ``value`` (segno builds the markup; nothing user-written)."""
    code = segno.make(value, error="m")
    svg = code.svg_inline(scale=5, border=2, dark="#000000", light="#ffffff", omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG paths, no text from the value


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
    if held is not None:
        if reward_type == "pass" and held.pass_code:
            qr = qr_svg(held.pass_code)
            note = links.word("pass_usage")
        if reward_type == "prize_code" and held.prize_code:
            prize = held.prize_code
            single = bool(reward and reward.is_limited)
            note = links.word("prize_code_single_use") if single else links.word("prize_code_usage")
        if reward_type in ("atvenu", "bestring"):
            status = held.status or links.word("delivery_processing")
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
        expires_at=_end_date(card, now=state.now),
    )


def _requirement(card: rules.RewardCard) -> str:
    """What stands between the fan and a reward they do not hold."""
    if card.held is not None or card.standing is rules.RewardStanding.CLOSED:
        return ""
    if card.standing is rules.RewardStanding.SOLD_OUT:
        return get_adapter().message("reward_all_claimed")
    return wording.reward_requirement_text(card.progress)


def _end_date(card: rules.RewardCard, *, now: datetime) -> datetime | None:
    """The date the wallet shows: the pass window's end once that is what ended it."""
    held = card.held
    if held is not None and held.valid_until is not None and held.valid_until <= now:
        return held.valid_until
    if held is not None and held.expires_at is not None:
        return held.expires_at
    return card.reward.expires_at if card.reward is not None else None


def reward_tiles(cards: tuple[rules.RewardCard, ...], *, state: PortalState) -> list[RewardTile]:
    links = Links()
    return [reward_tile(card, state=state, links=links) for card in cards]


# --- card fragments ---------------------------------------------------------------------
#
# A board of a hundred quests is a hundred renders of the same small template, and most of
# a page's CPU. A card's markup depends only on what its template reads, and fans in the
# same state see the same card, so the app's own card templates are rendered once per
# distinct card and reused. A site that overrides a card template gets it rendered every
# time with the whole page context, exactly as ``{% include %}`` would: its template may
# read anything, so nothing it shows can be keyed safely here.

QUEST_CARD_TEMPLATE = "tbits_loyalty/includes/quest_card.html"
REWARD_CARD_TEMPLATE = "tbits_loyalty/includes/reward_card.html"

#: The files this app ships: only these are cached (their keys below list what they read).
_OWN_TEMPLATES = {
    name: os.path.realpath(Path(__file__).parent / "templates" / name)
    for name in (QUEST_CARD_TEMPLATE, REWARD_CARD_TEMPLATE)
}

#: Distinct cards kept per process (about a kilobyte each; cards with the fan's own codes
#: are not kept); the oldest are dropped first.
CARD_CACHE_SIZE = 4096

# Stands in for the CSRF token in cached markup; each page puts its own token back. Random
# per process, so no title or description a business writes can contain it.
_CSRF_MARK = f"csrf-{secrets.token_hex(16)}"

_cards: dict[tuple[object, ...], SafeString] = {}
_cards_lock = threading.Lock()


def quest_card_key(tile: QuestTile, *, in_event: bool) -> tuple[object, ...]:
    """Everything ``quest_card.html`` reads: two tiles with the same key render the same."""
    quest = tile.quest
    return (
        tile.state,
        tile.anchor,
        tile.image_url,
        tile.status_label,
        tile.points,
        tile.performance_name,
        bool(in_event),
        quest.quest_title,
        quest.quest_description,
        tile.explanation,
        tile.is_post,
        tile.action_url,
        tile.button_text,
    )


def reward_card_key(tile: RewardTile, *, is_new: bool) -> tuple[object, ...] | None:
    """Everything ``reward_card.html`` reads: two tiles with the same key render the same.

    None (not cached) for a card showing the fan's own pass or prize code: nobody else
    shares it, and a QR code's markup would fill the cache with one fan's cards.
    """
    if tile.qr_svg or tile.prize_code:
        return None
    card = tile.card
    return (
        tile.standing,
        tile.anchor,
        tile.image_url,
        tile.type_label,
        bool(is_new),
        tile.title,
        tile.description,
        tile.qr_svg,
        tile.valid_from,
        tile.valid_until,
        card.not_yet_valid,
        tile.prize_code,
        tile.usage_note,
        tile.delivery_status,
        tile.requirement,
        bool(card.progress),
        tile.percent,
        tile.expires_at,
    )


@dataclass
class _PageState:
    """What every card of one page render shares, looked up once per page."""

    language: str | None
    time_zone: str
    csrf_token: str
    #: Each card template of the page, and whether it is the file this app ships.
    templates: dict[str, tuple[Template, bool]] = field(default_factory=dict)


def _page_state(context: Context) -> _PageState:
    # The bottom of the render context lives for one whole page render, as {% include %}
    # keeps its template cache there.
    store = context.render_context.dicts[0]
    page = store.get(_PageState)
    if page is None:
        token = context.get("csrf_token")
        token_text = str(token) if token else ""
        page = store[_PageState] = _PageState(
            language=translation.get_language(),
            time_zone=timezone.get_current_timezone_name(),
            # Without a real token (no request, or CSRF off) the cards are not cached.
            csrf_token="" if token_text == "NOTPROVIDED" else token_text,
        )
    return page


def render_card(
    context: Context,
    *,
    template_name: str,
    tile: QuestTile | RewardTile,
    key: tuple[object, ...] | None,
    extra: dict[str, object],
) -> SafeString:
    """The card's markup, from the fragment cache when the template is the app's own.

    ``key`` must hold every value the app's template reads besides the CSRF token; the
    language and time zone (translations, number and date formats) are added here. A
    ``None`` key renders the card without caching it.
    """
    page = _page_state(context)
    found = page.templates.get(template_name)
    if found is None:
        template = context.template.engine.get_template(template_name)  # type: ignore[union-attr]
        # Real paths: an app installed through a symlink still counts as this app's file.
        origin = os.path.realpath(str(template.origin.name))
        found = page.templates[template_name] = (
            template,
            origin == _OWN_TEMPLATES.get(template_name),
        )
    template, own = found
    if key is None or not own or not page.csrf_token:
        with context.push(tile=tile, **extra):
            return mark_safe(template.render(context))  # noqa: S308 - rendered by Django
    # The template object itself is in the key: a reloaded template (DEBUG) is a new entry.
    full_key = (template, page.language, page.time_zone, key)
    html = _cards.get(full_key)
    if html is None:
        with context.push(tile=tile, csrf_token=_CSRF_MARK, **extra):
            html = mark_safe(template.render(context))  # noqa: S308 - rendered by Django
        with _cards_lock:
            if len(_cards) >= CARD_CACHE_SIZE:
                del _cards[next(iter(_cards))]
            _cards[full_key] = html
    return mark_safe(html.replace(_CSRF_MARK, page.csrf_token))  # noqa: S308 - [A-Za-z0-9]


def clear_card_cache() -> None:
    """Forget every cached card and tile (tests; a deployment never needs it)."""
    with _cards_lock:
        _cards.clear()
    with _tiles_lock:
        _tile_sets.clear()
