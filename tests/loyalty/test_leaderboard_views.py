"""The leaderboard page: a name a fan hid, the period, the fans around you
(loyalty.leaderboard_views), through Django's test client on the sandbox."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.loyalty.sandbox_api import log_in_another_fan

pytestmark = pytest.mark.django_db

BOARD = reverse("tbits_loyalty:leaderboard")
NAME_SWITCH = reverse("tbits_loyalty:leaderboard_name")
HIDDEN_NAME = "Jordan Hidewell"


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _fan(fan_id: int, name: str, *points: tuple[int, int]) -> Any:
    """A fan with point rows ``(count, days ago)``."""
    from tbits_sandbox.models import Fan, FanPoint, PointTypeRecord

    fan = Fan.objects.create(fan_id=fan_id, account_id=1001, display_name=name)
    for count, days_ago in points:
        row = FanPoint.objects.create(
            fan=fan, point_type_record=PointTypeRecord.objects.get(), point_count=count
        )
        FanPoint.objects.filter(pk=row.pk).update(
            creation_timestamp=timezone.now() - dt.timedelta(days=days_ago)
        )
    return fan


def _other_fan_client() -> Client:
    """Fan 777 ("Other Person", 300 points yesterday), logged in with a session of their own."""
    return log_in_another_fan(_fan(777, "Other Person", (300, 1)))


def _other_fans_pages(client: Client) -> dict[str, str]:
    """Every page of the other fan's portal, the leaderboard in each period and view."""
    pages = {
        name: text(client.get(reverse(f"tbits_loyalty:{name}")))
        for name in ("dashboard", "quests", "wallet", "history")
    }
    pages["profile"] = text(client.get(reverse("tbits_accounts:profile")))
    for query in ("", "?period=30d", "?view=around", "?period=30d&view=around"):
        pages[f"leaderboard{query}"] = text(client.get(BOARD + query))
    return pages


def test_a_hidden_name_appears_on_no_other_fans_page(fan_client: Any, sandbox_api: Any) -> None:
    from tbits_sandbox.models import Fan

    Fan.objects.filter(fan_id=501).update(display_name=HIDDEN_NAME)
    other = _other_fan_client()
    before = _other_fans_pages(other)
    assert HIDDEN_NAME in before["leaderboard"]  # shown until the fan hides it

    response = fan_client.post(NAME_SWITCH, {"hide": "1", "period": "30d", "view": "around"})
    assert response.status_code == 302 and response["Location"] == BOARD + "?period=30d&view=around"
    own = text(fan_client.get(BOARD))
    assert "Your name is hidden: other fans see you as “A fan”." in own
    assert "Show my name" in own

    after = _other_fans_pages(other)
    for name, page in after.items():
        assert HIDDEN_NAME not in page, name
    assert "A fan" in after["leaderboard"]
    # Their rank and points are still there: only the name is gone.
    assert "You are number 1 with 300 points." in after["leaderboard"]
    assert '<td>2</td><td>A fan</td><td class="tb-num">80</td>' in after["leaderboard"]

    fan_client.post(NAME_SWITCH, {"hide": "0"})
    assert HIDDEN_NAME in text(other.get(BOARD))


def test_the_name_switch_takes_a_post_from_a_logged_in_fan_only(
    client: Any, fan_client: Any, sandbox_api: Any
) -> None:
    from loyalty.models import LeaderboardName

    assert fan_client.get(NAME_SWITCH).status_code == 405
    anonymous = Client()
    assert anonymous.post(NAME_SWITCH, {"hide": "1"}).status_code == 302
    assert not LeaderboardName.objects.exists()


def test_the_last_30_days_count_only_recent_points_and_the_gap_follows(
    fan_client: Any, sandbox_api: Any
) -> None:
    # Fan 901: 500 points two months ago, 100 ten days ago. Fan 501 has 80 from today.
    _fan(901, "Early Bird", (500, 60), (100, 10))
    season = text(fan_client.get(BOARD))
    assert "You are number 2 with 80 points. 521 points to overtake #1." in season
    assert "Points earned in the last 365 days" in season
    recent = text(fan_client.get(BOARD + "?period=30d"))
    assert "You are number 2 with 80 points. 21 points to overtake #1." in recent
    assert "Points earned in the last 30 days" in recent
    assert re.search(r'<a class="tb-chip" href="[^"]*\?period=30d" aria-current="page">', recent)


def test_the_season_counts_from_the_season_start_and_names_it(
    fan_client: Any, sandbox_api: Any, loyalty_settings: dict[str, Any]
) -> None:
    start = timezone.now().date() - dt.timedelta(days=45)
    loyalty_settings["SEASON_START"] = start.isoformat()
    _fan(901, "Early Bird", (500, 60), (100, 10))
    page = text(fan_client.get(BOARD))
    assert "Points earned this season, since" in page
    assert "You are number 2 with 80 points. 21 points to overtake #1." in page


def test_you_and_the_fans_around_you(fan_client: Any, sandbox_api: Any) -> None:
    for place in range(1, 40):
        _fan(900 + place, f"Fan {place}", (5000 - place * 100, 1))
    top = text(fan_client.get(BOARD))
    assert "Fan 1<" in top and "Fan 38<" not in top and 'class="tb-podium"' in top
    around = text(fan_client.get(BOARD + "?view=around"))
    names = re.findall(r"<td>(\d+)</td><td>([^<]+)</td>", around)
    assert names == [
        ("36", "Fan 36"),
        ("37", "Fan 37"),
        ("38", "Fan 38"),
        ("39", "Fan 39"),
        ("40", "You"),
    ]
    assert "1,021 points to overtake #39." in around
    assert 'class="tb-podium"' not in around
    assert around.count('aria-current="true"') == 1


def test_around_you_without_a_rank_says_so_and_shows_the_top(
    fan_client: Any, sandbox_api: Any
) -> None:
    from tbits_sandbox.models import FanPoint

    FanPoint.objects.filter(fan_id=501).delete()
    _fan(901, "Fan One", (100, 1))
    page = text(fan_client.get(BOARD + "?view=around"))
    assert "Once you have a rank, the fans around you show here." in page
    assert "Fan One" in page


def test_the_leaderboard_in_french(fan_client: Any, sandbox_api: Any) -> None:
    page = text(fan_client.get(BOARD + "?view=around", HTTP_ACCEPT_LANGUAGE="fr"))
    for words in ("Cette saison", "30 derniers jours", "Vous et les fans autour de vous"):
        assert words in page
    assert "Masquer mon nom" in page and "Votre nom au classement" in page
    response = fan_client.post(NAME_SWITCH, {"hide": "1"}, HTTP_ACCEPT_LANGUAGE="fr")
    page = text(fan_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Les autres fans vous voient désormais comme « Un fan »." in page


def test_fans_tied_on_the_podium_stand_as_high_in_the_same_metal(
    fan_client: Any, sandbox_api: Any
) -> None:
    # Fan 501 (you) has 80 points from today; a second fan ties with you at #2.
    _fan(901, "Top Fan", (500, 1))
    _fan(902, "Tied Fan", (80, 1))
    page = text(fan_client.get(BOARD))
    steps = re.findall(r'<li class="tb-podium__step ([^"]+)">', page)
    places = [re.search(r"step--(\d)", step).group(1) for step in steps]  # type: ignore[union-attr]
    medals = [re.search(r"medal--(\d)", step).group(1) for step in steps]  # type: ignore[union-attr]
    assert places == ["1", "2", "3"]
    assert medals == ["1", "2", "2"]
