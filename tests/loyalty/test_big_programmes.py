"""Issue 21: a big programme's pages show what a fan needs, and build only what they show.

Every section of the quest board (each event's too) and of the wallet shows its first cards
and links to the rest; the server builds a tile only for a card the page shows, so a page's
work follows what it shows, not the size of the programme.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from loyalty import presentation, reward_tiles
from tests.loyalty.test_views import BOARD, section, text

WALLET = reverse("tbits_loyalty:wallet")


@pytest.fixture
def big_programme(sandbox_api):
    """Sixty more open quests, half at the live event, and sixty more rewards to earn."""
    from tbits_sandbox.models import Business, Reward

    business = Business.objects.get()
    template = Reward.objects.get(reward_title="Bronze badge")
    sandbox_api.add_quests("Matchday quest", 60, half_at_the_event=True)
    Reward.objects.bulk_create(
        Reward(
            business=business,
            reward_title=f"Collector badge {index}",
            reward_type="badge",
            requirement_type="quests",
            required_page_tab_ids=[1, 2, 3],
            expiration_timestamp=template.expiration_timestamp,
            timezone="UTC",
            winner_selection_model="all",
        )
        for index in range(60)
    )
    return sandbox_api


def test_an_event_section_shows_its_first_cards_and_a_link_to_all(fan_client, big_programme):
    page = text(fan_client.get(BOARD))
    [key] = re.findall(r'id="(event-[\w-]+)-heading"', page)
    event = section(page, f"{key}-heading")
    assert event.count("<article") == presentation.EVENT_SECTION_SIZE
    total = int(re.search(r"Show all (\d+) quests of this event", event).group(1))
    assert total == 32  # the seeded scan and wristband quests and thirty of the new ones
    assert f'href="?show={key}#{key}-heading"' in event
    everything = section(text(fan_client.get(f"{BOARD}?show={key}")), f"{key}-heading")
    assert everything.count("<article") == total
    assert f'<a href="?#{key}-heading">Show fewer</a>' in everything


def test_rewards_to_earn_show_their_first_cards_and_a_link_to_all(fan_client, big_programme):
    earn = section(text(fan_client.get(WALLET)), "earn-heading")
    limit = reward_tiles.WALLET_SECTIONS["working_toward"].limit
    assert earn.count("<article") == limit
    total = int(re.search(r"Show all (\d+) rewards to earn", earn).group(1))
    assert total > 60
    assert 'href="?show=working_toward#earn-heading"' in earn
    everything = section(text(fan_client.get(WALLET + "?show=working_toward")), "earn-heading")
    assert everything.count("<article") == total


def test_a_page_builds_tiles_only_for_the_cards_it_shows(fan_client, big_programme, monkeypatch):
    built = []
    for module, name in ((presentation, "quest_tile"), (reward_tiles, "reward_tile")):
        original = getattr(module, name)

        def spy(card, *args, _original=original, **kwargs):
            built.append(card)
            return _original(card, *args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    for url in (BOARD, WALLET):
        built.clear()
        page = text(fan_client.get(url))
        assert len(built) == page.count("<article"), url
        assert len(built) < 60, url  # a programme of 70 quests and 64 rewards
