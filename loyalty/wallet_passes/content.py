"""What a wallet pass shows, taken once from a pass the fan holds: both wallets read this.

A pass is offered to a phone wallet only when it has a pass code (the QR's value): a
documented-only answer has none, and a wallet pass without a code scans as nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from loyalty.branding import text_colour_on
from tbits_client import FanReward

#: Salts the pass id: an HMAC of the reward and its code under the site's SECRET_KEY.
_PASS_ID_SALT = "tbits_loyalty.wallet_passes.pass_id"

#: The pass's colours when the business names no primary colour (the portal's dark surface).
DEFAULT_BACKGROUND = "#1b1e23"


@dataclass(frozen=True)
class WalletPass:
    """One held pass as a phone wallet shows it; ``code`` is what the QR carries."""

    serial: str
    code: str
    title: str
    organisation: str
    description: str
    background: str
    foreground: str
    valid_from: dt.datetime | None
    valid_until: dt.datetime | None
    logo_url: str | None
    language: str


def pass_id(held: FanReward) -> str:
    """A stable id for the fan's copy of a pass that says nothing of its code.

    It names the pass in the download URLs and is the wallet's serial number; the code
    itself never goes into a URL of ours. A keyed hash (SECRET_KEY), so nobody can try
    codes against it.
    """
    message = f"{held.reward_uid}\n{held.pass_code or ''}"
    return salted_hmac(_PASS_ID_SALT, message, algorithm="sha256").hexdigest()[:24]


def has_wallet_code(held: FanReward) -> bool:
    """Whether a held reward can become a wallet pass: a pass with a code to scan."""
    return str(held.reward_type or "") == "pass" and bool((held.pass_code or "").strip())


def find_pass(rewards: Iterable[FanReward], wanted: str) -> FanReward | None:
    """The fan's own pass whose :func:`pass_id` is ``wanted``; None for anyone else's."""
    return next(
        (held for held in rewards if has_wallet_code(held) and pass_id(held) == wanted), None
    )


def wallet_pass(
    held: FanReward,
    *,
    organisation: str,
    description: str,
    brand_colour: str | None,
    valid_from: dt.datetime | None,
    valid_until: dt.datetime | None,
    logo_url: str | None,
    language: str,
) -> WalletPass:
    """The wallet's view of one held pass (``brand_colour`` a checked ``#rrggbb`` or None)."""
    background = brand_colour or DEFAULT_BACKGROUND
    return WalletPass(
        serial=pass_id(held),
        code=(held.pass_code or "").strip(),
        title=held.reward_title or description or organisation,
        organisation=organisation,
        description=description or held.reward_title or organisation,
        background=background,
        # Black or white, whichever reads on the brand colour (as the portal's buttons).
        foreground=text_colour_on(background),
        valid_from=valid_from,
        valid_until=valid_until,
        logo_url=logo_url,
        language=language,
    )
