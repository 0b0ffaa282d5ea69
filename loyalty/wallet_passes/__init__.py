"""Wallet passes: a held pass as an Apple Wallet ``.pkpass`` and a Google Wallet save link.

Offered only when the operator configured the wallet (``TBITS["APPLE_WALLET"]``,
``TBITS["GOOGLE_WALLET"]``, checked by ``tbits_loyalty.E011``/``E012`` and so by
``tbits_check``), and only for passes with a code to scan.
"""

from __future__ import annotations

from loyalty.wallet_passes.config import (
    AppleCredentials,
    GoogleCredentials,
    WalletConfigError,
    apple_configured,
    apple_credentials,
    google_configured,
    google_credentials,
)
from loyalty.wallet_passes.content import (
    WalletPass,
    find_pass,
    has_wallet_code,
    pass_id,
    wallet_pass,
)

__all__ = [
    "AppleCredentials",
    "GoogleCredentials",
    "WalletConfigError",
    "WalletPass",
    "apple_configured",
    "apple_credentials",
    "find_pass",
    "google_configured",
    "google_credentials",
    "has_wallet_code",
    "pass_id",
    "wallet_pass",
]
