"""Seed the calendar: today's match, a concert in two weeks, two idols and their events."""

from __future__ import annotations

from dataclasses import dataclass

from tbits_sandbox.models import Account, Business, Idol, IdolEvent, MediaAsset, Performance
from tbits_sandbox.seed.dates import days_from_today, local_time


@dataclass(frozen=True)
class SeededEvents:
    """The performances and idols quests and rewards refer to."""

    matchday: Performance
    concert: Performance
    captain: Idol
    band: Idol


def _performance(
    account: Account, business: Business, name: str, *, offset: int, artist: str
) -> Performance:
    performance, _ = Performance.objects.update_or_create(
        account=account,
        performance_name=name,
        defaults={
            "business": business,
            "performance_date": days_from_today(offset),
            "venue_name": "Harbour City Stadium",
            "city": "Vancouver",
            "province": "BC",
            "country_code": "CA",
            "artist_name": artist,
            "label_name": "harbour-city",
        },
    )
    return performance


def seed_events(
    *, account: Account, business: Business, art: dict[str, MediaAsset]
) -> SeededEvents:
    """Create or update the performances, the idols and the idols' events."""
    matchday = _performance(
        account,
        business,
        "Harbour City FC vs Northside United",
        offset=0,
        artist="Harbour City FC",
    )
    concert = _performance(
        account, business, "Half-time Live: The Tide", offset=14, artist="The Tide"
    )

    captain, _ = Idol.objects.update_or_create(
        account=account,
        idol_name="Sam Rivera",
        defaults={
            "idol_type": "team",
            "description": "Club captain and midfielder.",
            "media": art["idol-captain"],
            "link_url": "https://example.com/players/sam-rivera",
            "label_names": ["harbour-city"],
        },
    )
    band, _ = Idol.objects.update_or_create(
        account=account,
        idol_name="The Tide",
        defaults={
            "idol_type": "artist",
            "description": "The band that plays every home game's half-time show.",
            "media": art["idol-band"],
            "link_url": "https://example.com/music/the-tide",
            "label_names": ["harbour-city", "music"],
        },
    )
    for idol, title, day, venue in (
        (captain, "Meet the captain", days_from_today(3), "Club shop"),
        (captain, "Signing session", days_from_today(21), "Harbour City Stadium"),
        (band, "Half-time show", days_from_today(14), "Harbour City Stadium"),
        (band, "Acoustic set", days_from_today(30), "Waterfront Hall"),
    ):
        IdolEvent.objects.update_or_create(
            idol=idol,
            start_timestamp=local_time(day, 19),
            defaults={
                "end_timestamp": local_time(day, 21),
                "venue_name": venue,
                "city": "Vancouver",
                "province": "BC",
                "country_code": "CA",
                "event_url": f"https://example.com/events/{title.lower().replace(' ', '-')}",
                "ticket_url": "https://example.com/tickets",
                "label_name": "harbour-city",
            },
        )
    return SeededEvents(matchday=matchday, concert=concert, captain=captain, band=band)
