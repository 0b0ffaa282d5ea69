"""System checks of the loyalty keys of ``TBITS``: a value that cannot work is reported by
``manage.py check`` (and so by ``runserver`` and ``migrate``), not found by a fan.

Without them a wrong value fails quietly or late: an unknown ``EVENT_TIMEZONE`` silently
becomes UTC, ``SCAN_MAX_AGE = 0`` makes printed links valid forever, a ``CAMPAIGN_URL``
with a misspelt placeholder is a 500 on the quest board, ``BUSINESS_IDS = "2002"`` offers
businesses ``"2"``, ``"0"`` and ``"0"``.

Ids follow the accounts app's scheme: ``tbits_loyalty.E001``... errors,
``tbits_loyalty.W001``... warnings. Every key of :data:`loyalty.app_settings.DEFAULTS` is
checked by one of them.
"""

from __future__ import annotations

import string
import zoneinfo
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.core.checks import Error, Warning, register
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.app_settings import app_settings
from loyalty.app_settings import configured_season_start, loyalty_settings
from loyalty.wallet_passes.checks import apple_wallet_problems, google_wallet_problems

# Whole numbers and the smallest value that works. A TTL of 0 is slow but correct (ask the
# API every time); a leaderboard of no rows, or over no days, shows nothing.
MINIMUM_COUNTS: dict[str, int] = {
    "CACHE_TTL": 0,
    "CACHE_STALE_TTL": 0,
    "FAN_CACHE_TTL": 0,
    "FAN_TAGS_CACHE_TTL": 0,
    "LEADERBOARD_SIZE": 1,
    "LEADERBOARD_DAYS": 1,
}

# The quest's fields the portal fills into CAMPAIGN_URL (``str.format`` keywords).
CAMPAIGN_URL_FIELDS = ("target_page_tab_id", "page_tab_id")


def _is_count(value: Any) -> bool:
    # bool is an int to Python, but True seconds is a typo, not a duration.
    return isinstance(value, int) and not isinstance(value, bool)


@register("tbits_loyalty")
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Every loyalty key of ``TBITS`` holds a value the portal can use."""
    return [
        *_count_problems(),
        *_scan_max_age_problems(),
        *_event_timezone_problems(),
        *_business_ids_problems(),
        *_point_type_problems(),
        *_campaign_url_problems(),
        *_profile_quests_problems(),
        *_adapter_problems(),
        *_retention_problems(),
        *_public_board_problems(),
        *_season_start_problems(),
        *apple_wallet_problems(),
        *google_wallet_problems(),
    ]


#: The poll reads a day back from its cursor (loyalty.deliveries.READ_BACK): rows younger
#: than that are how it knows a delivery it reads again, so they must stay.
MINIMUM_RETENTION_DAYS = 2


def _retention_problems() -> list[Any]:
    """E009: ``DELIVERY_RETENTION_DAYS`` is None or whole days >= the minimum."""
    value = loyalty_settings.DELIVERY_RETENTION_DAYS
    if value is None or (_is_count(value) and value >= MINIMUM_RETENTION_DAYS):
        return []
    return [
        Error(
            f"TBITS['DELIVERY_RETENTION_DAYS'] must be None or whole days >= "
            f"{MINIMUM_RETENTION_DAYS}, not {value!r}.",
            hint="How long tbits_prune_deliveries keeps recorded reward deliveries, e.g. 180; "
            "None keeps them for ever. The poll reads a day back, so a day's rows must stay.",
            id="tbits_loyalty.E009",
        )
    ]


def _public_board_problems() -> list[Any]:
    """E010: ``PUBLIC_BOARD`` is True or False (the string "false" would be true, and show
    the programme to visitors on a site that meant to hide it)."""
    value = loyalty_settings.PUBLIC_BOARD
    if isinstance(value, bool):
        return []
    return [
        Error(
            f"TBITS['PUBLIC_BOARD'] must be True or False: {value!r}.",
            hint="False hides the public quest board (/portal/programme/) from visitors.",
            id="tbits_loyalty.E010",
        )
    ]


def _season_start_problems() -> list[Any]:
    """E013: ``SEASON_START`` is None or a date, not in the future (the board would be empty)."""
    value = loyalty_settings.SEASON_START
    if value is None or value == "":
        return []
    start = configured_season_start()
    if start is not None and start <= timezone.now().date():
        return []
    return [
        Error(
            f"TBITS['SEASON_START'] must be None or a past date such as '2026-08-01', "
            f"not {value!r}.",
            hint="None counts the season as the last LEADERBOARD_DAYS days.",
            id="tbits_loyalty.E013",
        )
    ]


def _profile_quests_problems() -> list[Any]:
    """E008: ``PROFILE_QUESTS`` is a list of quest ids or titles (a string would be split
    into letters, each naming no quest)."""
    value = loyalty_settings.PROFILE_QUESTS
    if isinstance(value, list | tuple) and all(
        (isinstance(item, int) and not isinstance(item, bool) and item > 0)
        or (isinstance(item, str) and item.strip())
        for item in value
    ):
        return []
    return [
        Error(
            f"TBITS['PROFILE_QUESTS'] must be a list of quest ids or exact titles: {value!r}.",
            hint="For example ['Complete your profile'] or [12345].",
            id="tbits_loyalty.E008",
        )
    ]


def _adapter_problems() -> list[Any]:
    """E006: ``LOYALTY_ADAPTER`` names a class that imports (else every portal page fails)."""
    path = loyalty_settings.LOYALTY_ADAPTER
    try:
        import_string(str(path))
    except ImportError:
        return [
            Error(f"TBITS['LOYALTY_ADAPTER'] cannot be imported: {path!r}", id="tbits_loyalty.E006")
        ]
    return []


def _count_problems() -> list[Any]:
    """E001: TTLs and sizes are whole numbers, not below their minimum."""
    problems: list[Any] = []
    for name, minimum in MINIMUM_COUNTS.items():
        value = getattr(loyalty_settings, name)
        if not _is_count(value) or value < minimum:
            problems.append(
                Error(
                    f"TBITS['{name}'] must be a whole number >= {minimum}, not {value!r}.",
                    hint="A value read from the environment is a string: use env.int().",
                    id="tbits_loyalty.E001",
                )
            )
    return problems


def _scan_max_age_problems() -> list[Any]:
    """E002: ``SCAN_MAX_AGE`` is None or a positive number of seconds."""
    value = loyalty_settings.SCAN_MAX_AGE
    if value is None or (_is_count(value) and value > 0):
        return []
    return [
        Error(
            f"TBITS['SCAN_MAX_AGE'] must be None or seconds > 0, not {value!r}.",
            hint="None keeps a printed scan link valid for as long as the quest's window; "
            "0 would too, silently, so it is refused.",
            id="tbits_loyalty.E002",
        )
    ]


def _event_timezone_problems() -> list[Any]:
    """E003: ``EVENT_TIMEZONE`` names a zone (the portal would fall back to UTC)."""
    value = loyalty_settings.EVENT_TIMEZONE
    if value is None or value == "":  # both mean TIME_ZONE (an unset environment variable)
        return []
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        return [
            Error(
                f"TBITS['EVENT_TIMEZONE'] is not a time zone: {value!r}. Performances and "
                "quest dates would be days in UTC.",
                hint="An IANA name such as 'America/Toronto', or None for TIME_ZONE.",
                id="tbits_loyalty.E003",
            )
        ]
    return []


def _is_business_id(value: Any) -> bool:
    if _is_count(value):
        return value > 0
    return isinstance(value, str) and value.strip().isdigit()


def _business_ids_problems() -> list[Any]:
    """E004: ``BUSINESS_IDS`` is None or a list of ids; W001: it includes ``BUSINESS_ID``."""
    value = loyalty_settings.BUSINESS_IDS
    if value is None:
        return []
    # A string is iterable too: "2002,2003" would be read character by character.
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        items: list[Any] = []
        valid = False
    else:
        items = list(value)
        valid = all(_is_business_id(item) for item in items)
    if not valid:
        return [
            Error(
                f"TBITS['BUSINESS_IDS'] must be None or a list of business ids, not {value!r}.",
                hint="For example [2002, 2003]; None offers every business of the account.",
                id="tbits_loyalty.E004",
            )
        ]
    wanted = {str(item).strip() for item in items}
    business_id = str(app_settings.BUSINESS_ID or "").strip()
    if wanted and business_id and business_id not in wanted:
        return [
            Warning(
                f"TBITS['BUSINESS_ID'] ({business_id}) is not in TBITS['BUSINESS_IDS']: "
                "fans start on a business the picker does not offer.",
                hint="Add it to BUSINESS_IDS, or make BUSINESS_ID one of them.",
                id="tbits_loyalty.W001",
            )
        ]
    return []


def _point_type_problems() -> list[Any]:
    """E007: ``POINT_TYPE`` is None, a point type's name or uid, or a mapping of business ids.

    Whether it names a point type the account has is an API question: ``tbits_check``.
    """
    value = loyalty_settings.POINT_TYPE
    if value is None or value == "":
        return []
    if isinstance(value, str) and value.strip():
        return []
    if (
        isinstance(value, dict)
        and value
        and all(
            _is_business_id(key) and isinstance(item, str) and item.strip()
            for key, item in value.items()
        )
    ):
        return []
    return [
        Error(
            f"TBITS['POINT_TYPE'] must be a point type's name or uid, or a mapping of business "
            f"ids to one, not {value!r}.",
            hint="For example 'Fan Points', or {2002: 'Fan Points', 2003: 'Club XP'}.",
            id="tbits_loyalty.E007",
        )
    ]


def _campaign_url_problems() -> list[Any]:
    """E005: ``CAMPAIGN_URL`` is an http(s) template naming the quest's fields only."""
    value = loyalty_settings.CAMPAIGN_URL
    if value is None or value == "":  # both mean "use the quest's link_url"
        return []
    problem = _campaign_url_problem(value)
    if problem is None:
        return []
    return [
        Error(
            f"TBITS['CAMPAIGN_URL'] {problem}: {value!r}.",
            hint="For example 'https://example.tbits.me/{target_page_tab_id}' "
            f"(placeholders: {', '.join('{' + name + '}' for name in CAMPAIGN_URL_FIELDS)}).",
            id="tbits_loyalty.E005",
        )
    ]


def _campaign_url_problem(value: Any) -> str | None:
    """What is wrong with a campaign URL template, or None."""
    if not isinstance(value, str):
        return "must be a string"
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
    except ValueError:
        return "has an unbalanced { or }"
    # "{target_page_tab_id.x}" and "{0}" fail when formatted: only plain names are allowed.
    unknown = [field for field in fields if field not in CAMPAIGN_URL_FIELDS]
    if unknown:
        return f"names {', '.join(map(repr, unknown))}, which the portal does not fill"
    if not fields:
        return "has no placeholder, so every quest would open the same page"
    try:
        # The ids are whole numbers (tbits_client's Quest), so "{page_tab_id:05d}" works.
        sample = value.format(**dict.fromkeys(CAMPAIGN_URL_FIELDS, 12345))
    except (ValueError, TypeError):
        return "cannot be filled in with a quest's ids"
    parts = urlsplit(sample)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) URL"
    return None
