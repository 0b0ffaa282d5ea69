"""The wallet's reward tiles: what a card prints is worked out once per page, and shows as
the date filters and translations it replaced would have shown it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from loyalty import reward_tiles
from loyalty.reward_tiles import CARD_WORDS, RewardTile, TileWords

WALLET = reverse("tbits_loyalty:wallet")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "templates-and-adapter.md"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def section(page: str, heading_id: str) -> str:
    start = page.index(f'aria-labelledby="{heading_id}"')
    return page[start : page.find("</section>", start)]


def card_of(page: str, anchor: str) -> str:
    """The ``<article>`` whose id is ``anchor``."""
    start = page.rindex("<article", 0, page.index(f'id="{anchor}"'))
    return page[start : page.index("</article>", start)]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("zone", ["UTC", "America/Vancouver", "Asia/Tokyo"])
def test_a_tile_prints_a_date_as_the_date_filter_would(language, zone):
    moment = dt.datetime(2027, 12, 31, 23, 30, tzinfo=dt.UTC)  # a day later in Tokyo
    filters = Template("{{ d|date:'c' }}|{{ d|date:'DATE_FORMAT' }}|{{ d|date:'DATETIME_FORMAT' }}")
    with translation.override(language), timezone.override(zone):
        words = TileWords(now=timezone.now())
        day, day_and_time = words.moment(moment), words.moment(moment, "DATETIME_FORMAT")
        assert filters.render(Context({"d": moment})) == "|".join(
            [day.iso, day.text, day_and_time.text]
        )
        assert words.moment(moment) is day  # once per page, however many cards share it


def test_card_words_are_translated_once_per_page_in_the_pages_language():
    with translation.override("fr"):
        words = TileWords(now=timezone.now())
        assert words["show_pass"] == "Afficher le pass"
        assert words["reveal_code"] is words["reveal_code"]
    with translation.override("en"):
        assert TileWords(now=timezone.now())["done"] == "Done"


def test_the_documented_tile_attributes_and_words_exist():
    documented = DOCS.read_text().split("A reward card (`reward_card.html`", 1)[1]
    documented = documented.split("\n\n", 1)[0]
    attributes = {field.name for field in dataclasses.fields(RewardTile)} | {"progress"}
    names = set(re.findall(r"`([a-z_]+)`", documented))
    assert {"anchor", "expires_text", "qr_label", "summary"} <= names
    words = set(re.findall(r"`([a-z_]+)`", documented.split("tile.words.<key>", 1)[1]))
    words &= set(CARD_WORDS) | {"new"}
    assert words == set(CARD_WORDS)
    for name in names - words - {"tile", "tiles", "is_new", "ready", "warning"}:
        assert name in attributes, name


@pytest.mark.sandbox_full  # pass_code and prize_code: fields used when present
def test_held_rewards_are_full_cards_with_their_state_and_the_rest_compact_rows(
    fan_client, sandbox_api
):
    from tbits_sandbox.models import Reward

    last_second_today = timezone.localtime().replace(hour=23, minute=59, second=59)
    Reward.objects.filter(reward_title="Bronze badge").update(
        expiration_timestamp=last_second_today
    )
    sandbox_api.award(40)  # 120 points: the Bronze badge is delivered
    page = text(fan_client.get(WALLET))
    bronze = Reward.objects.get(reward_title="Bronze badge").reward_uid
    badge = card_of(section(page, "held-heading"), f"reward-{bronze}")
    assert 'class="tb-card tb-reward tb-reward--held"' in page
    assert "tb-pill--warning" in badge and "Expires today" in badge
    assert "Ready to use" not in badge
    earn = section(page, "earn-heading")
    silver = Reward.objects.get(reward_title="Silver pass").reward_uid
    assert "<progress" in card_of(earn, f"reward-{silver}")
    special = section(page, "special-heading")
    thanks = Reward.objects.get(reward_title="Thank you").reward_uid
    row = card_of(special, f"reward-{thanks}")
    assert "tb-reward--row" in row and "Given out by the team" in row
    assert "<img" not in row and "tb-card" not in row


@pytest.mark.sandbox_full
def test_a_held_pass_card_says_its_words_in_the_fans_language(fan_client, sandbox_api):
    sandbox_api.award(420)  # 500 points: Silver, and its pass
    french = text(fan_client.get(WALLET, HTTP_ACCEPT_LANGUAGE="fr"))
    held = section(french, "held-heading")
    assert "Code QR de votre pass Silver pass" in held
    assert "Afficher le pass" in held and "Show pass" not in held
    assert "Prêt à utiliser" in held


def test_a_wallet_section_builds_tiles_for_its_first_cards_only(fan_client, sandbox_api):
    limit = reward_tiles.WALLET_SECTIONS["working_toward"].limit
    assert limit == 3
    page = text(fan_client.get(WALLET))
    assert section(page, "earn-heading").count('class="tb-card tb-reward') <= limit
