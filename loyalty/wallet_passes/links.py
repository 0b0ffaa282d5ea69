"""The wallet buttons of a held pass: offered only when configured and the pass has a code."""

from __future__ import annotations

from django.urls import reverse

from loyalty.wallet_passes.config import apple_configured, google_configured
from loyalty.wallet_passes.content import has_wallet_code, pass_id
from tbits_client import FanReward


def wallet_links(held: FanReward) -> tuple[str, str]:
    """The "Add to Apple Wallet" and "Save to Google Wallet" URLs of a pass; "" for none.

    A pass with no code (the documented-only answer) gets neither: a wallet pass that
    scans as nothing would be an action that leads nowhere.
    """
    if not has_wallet_code(held):
        return "", ""
    apple = google = ""
    if apple_configured():
        apple = reverse("tbits_loyalty:apple_wallet_pass", args=[pass_id(held)])
    if google_configured():
        google = reverse("tbits_loyalty:google_wallet_pass", args=[pass_id(held)])
    return apple, google
