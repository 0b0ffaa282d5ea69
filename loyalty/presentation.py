"""What the templates display, computed in Python so templates hold no logic.

Each tile bundles a quest or reward with its status, the sentence explaining it and the
call to action that fits its type (from :data:`loyalty.rules.QUEST_KINDS`, words from
the loyalty adapter); templates only print these.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import get_client
from loyalty import rules, wording
from loyalty.adapter import DefaultLoyaltyAdapter, get_adapter
from loyalty.links import campaign_url, safe_destination
from loyalty.profile_quests import is_profile_quest
from loyalty.selectors import PortalState
from tbits_client import Quest, TbitsClient

T = TypeVar("T")

#: The adapter's message for each status badge (a hidden quest has no card).
STATUS_LABEL_KEYS = {
    rules.QuestState.COMPLETED: "status_completed",
    rules.QuestState.LOCKED: "status_locked",
    rules.QuestState.ACTIVE: "status_active",
}


class TemplateTile:
    """What a tile's card template reads, by subscript as well as by attribute.

    Django's template variables try ``value[name]`` before an attribute; a tile that
    answers the subscript spares a caught exception for every value a card prints, and a
    page prints thousands. Quest and reward tiles both build on it.
    """

    __slots__ = ()

    def __getitem__(self, name: str) -> object:
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


@dataclass(frozen=True)
class QuestTile(TemplateTile):
    """One quest card: everything its template prints, worked out once.

    The values a card prints are plain attributes rather than properties (read by
    subscript, :class:`TemplateTile`): rendering the cards is most of the board's CPU.
    """

    quest: Quest
    card: rules.QuestCard
    action: rules.QuestAction
    action_url: str
    button_text: str
    explanation: str
    image_url: str | None
    status_label: str
    performance_name: str
    state: str
    title: str
    description: str | None
    points: int
    anchor: str
    is_post: bool

    @property
    def opens_at(self) -> datetime | None:
        return self.card.status.opens_at

    @property
    def closes_at(self) -> datetime | None:
        return self.card.status.closes_at


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
    elif status.availability is rules.Availability.NEVER_OPENS:
        explanation = wording.unavailable_text(card)
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
        state=str(status.state),
        title=quest.quest_title,
        description=quest.quest_description,
        points=card.quest.points_reward,
        anchor=f"quest-{quest.page_tab_id}",
        is_post=action.posts,
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
    if kind is rules.QuestKind.CUSTOM and is_profile_quest(quest):  # opens, completes on save
        return rules.QuestAction.OPEN, portal_urls()["profile"], button, ""
    if rule.action is rules.QuestAction.VISIT and not safe_destination(quest):
        return rules.QuestAction.NONE, "", "", links.word("link_unavailable")
    return rule.action, links.quest_url(rule.url_name, quest.page_tab_id), button, ""


def doable_here(state: PortalState) -> Callable[[rules.QuestCard], bool]:
    """Whether the fan can act on a quest from the page: the card has a button or link.

    Not a quest done by scanning a code at the venue (the fan may be anywhere), nor a
    campaign with no address to link to: the dashboard recommends only what can be done.
    """
    links = Links()

    def doable(card: rules.QuestCard) -> bool:
        quest = state.quests_by_id.get(card.quest.quest_id)
        if quest is None:
            return False
        action, url, _button, _explanation = _call_to_action(quest, card.quest.kind, links=links)
        return bool(url) and action is not rules.QuestAction.SCAN

    return doable


def _when(moment: datetime | None) -> str:
    from django.utils import formats

    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def tiles(cards: Sequence[rules.QuestCard], *, state: PortalState) -> list[QuestTile]:
    """The tiles of ``cards``, sharing one :class:`Links` (each URL kind worked out once)."""
    links = Links()
    return [quest_tile(card, state=state, links=links) for card in cards]


#: How many cards each section of the quest board shows before "Show all": a big programme's
#: board stays quick to read on a phone, and the page renders (and the server builds) only
#: the cards it shows. Open quests come first and get the most room; completed ones least.
#: Each event's section shows :data:`EVENT_SECTION_SIZE`.
BOARD_SECTION_SIZES = {"available": 12, "locked": 6, "upcoming": 6, "completed": 6}
EVENT_SECTION_SIZE = 6


@dataclass(frozen=True)
class Section(Generic[T]):
    """One section of a page (the quest board's, the wallet's): the tiles it shows, and the
    link to show all of them or fewer (empty when every tile fits)."""

    name: str
    tiles: list[T]
    total: int
    #: "Show all N ..." (or "Show fewer" once shown whole), and where it goes.
    link_text: str
    link_url: str

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass(frozen=True)
class EventSection(Section[QuestTile]):
    """One event on the board with its quests and, while it is on, the time left.

    ``name`` is the event's name; ``key`` what ``?show=`` names to show all its quests.
    """

    key: str = ""
    live: bool = False
    starts_at: datetime | None = None
    time_left: str = ""

    @property
    def anchor(self) -> str:
        return self.key


def first_cards(
    items: Sequence[T],
    *,
    key: str,
    limit: int | None,
    show_all: bool,
    message: str,
    anchor: str = "",
) -> tuple[Sequence[T], str, str]:
    """The items a section shows, and its "Show all N" (or "Show fewer") link text and URL.

    A section longer than ``limit`` shows its first ``limit`` items and links to
    ``?show=<key>``, which shows it whole with a link back; ``message`` is the adapter's
    message for the link, ``anchor`` the id the link scrolls to (``<key>-heading``).
    """
    total, anchor = len(items), anchor or f"{key}-heading"
    if limit is None or total <= limit:
        return items, "", ""
    adapter = get_adapter()
    if show_all:
        return items, adapter.message("show_fewer"), f"?#{anchor}"
    text = adapter.message(message, count=total, number=wording.number_text(total))
    return items[:limit], text, f"?show={key}#{anchor}"


def board_section(
    name: str,
    cards: tuple[rules.QuestCard, ...],
    *,
    state: PortalState,
    show_all: bool,
    first: int | None = None,
) -> Section[QuestTile]:
    """One board section: its first :data:`BOARD_SECTION_SIZES` cards unless ``show_all``.

    ``first`` is a quest to put at the head of the section (the one the fan just completed,
    whose card the redirect after completing it scrolls to).
    """
    if first is not None:
        cards = tuple(sorted(cards, key=lambda card: card.quest.quest_id != first))
    shown, text, url = first_cards(
        cards,
        key=name,
        limit=BOARD_SECTION_SIZES.get(name),
        show_all=show_all,
        message=f"show_all_{name}",
    )
    return Section(name, tiles(shown, state=state), len(cards), text, url)


def event_sections(
    state: PortalState,
    *,
    live_only: bool = False,
    shown: Callable[..., bool] = bool,
    show_all: str = "",
    with_tiles: bool = True,
) -> list[EventSection]:
    """The board's events in order; ``live_only`` for the ones on now (the dashboard's).

    ``shown`` picks an event's cards (the filter chips), an event left with none is left
    out; each shows its first :data:`EVENT_SECTION_SIZE` cards unless ``show_all`` is its
    key. ``with_tiles=False`` builds none (the dashboard names live events, no cards).
    """
    sections = []
    for group in state.board.events:
        cards = tuple(card for card in group.cards if shown(card))
        if (live_only and not group.live) or not cards:
            continue
        performance = state.performances_by_id.get(group.performance.performance_id)
        name = group.performance.name or (performance.performance_name if performance else "")
        key = f"event-{group.performance.performance_id}"
        first, text, url = first_cards(
            cards,
            key=key,
            limit=EVENT_SECTION_SIZE,
            show_all=show_all == key,
            message="show_all_event",
        )
        sections.append(
            EventSection(
                name=name or _("Event"),
                tiles=tiles(first, state=state) if with_tiles else [],
                total=len(cards),
                link_text=text,
                link_url=url,
                key=key,
                live=group.live,
                starts_at=group.performance.starts_at,
                time_left=wording.duration_text(group.time_left or timedelta()),
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
    "login": "tbits_accounts:login",
    "programme": "tbits_loyalty:programme",
    "service_worker": "tbits_loyalty:service_worker",
    "manifest": "tbits_loyalty:manifest",
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
        # The service worker's scope: the narrowest path over the portal and the login
        # page, which it must see to drop a fan's offline copy (loyalty.offline).
        common = posixpath.commonpath([urls["dashboard"], urls["login"]])
        urls["worker_scope"] = common if common.endswith("/") else common + "/"
        if len(_portal_urls) >= 16:
            _portal_urls.clear()
        _portal_urls[key] = urls
    return urls
