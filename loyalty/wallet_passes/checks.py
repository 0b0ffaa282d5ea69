"""System checks of the wallet settings: unusable credentials are found by ``manage.py
check`` and ``tbits_check``, not by a fan tapping "Add to Apple Wallet".

Loading the credentials is the check: every file is read, the key is opened and compared
with the certificate, the ids are present. Messages name the setting and the path only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.checks import Error
from django.utils import timezone

from loyalty.wallet_passes.config import (
    WalletConfigError,
    apple_credentials,
    google_credentials,
)


def _expiry(credentials: Any) -> dt.datetime:
    return credentials.certificate.not_valid_after_utc


def apple_wallet_problems() -> list[Any]:
    """E011: ``APPLE_WALLET`` loads: ids, readable files, a key matching the certificate."""
    try:
        credentials = apple_credentials()
    except WalletConfigError as error:
        return [
            Error(
                f"Apple Wallet passes cannot be made: {error}.",
                hint="Fix TBITS['APPLE_WALLET'] (docs/settings.md, 'Phone wallets'), or set "
                "it to None to offer no Apple Wallet button.",
                id="tbits_loyalty.E011",
            )
        ]
    if credentials is not None and _expiry(credentials) <= timezone.now():
        return [
            Error(
                "Apple Wallet passes cannot be made: the certificate in "
                "TBITS['APPLE_WALLET']['CERTIFICATE'] has expired.",
                hint="Renew the Pass Type ID certificate in Apple's developer account.",
                id="tbits_loyalty.E011",
            )
        ]
    return []


def google_wallet_problems() -> list[Any]:
    """E012: ``GOOGLE_WALLET`` loads: the issuer id and a service-account RSA key."""
    try:
        google_credentials()
    except WalletConfigError as error:
        return [
            Error(
                f"Google Wallet save links cannot be made: {error}.",
                hint="Fix TBITS['GOOGLE_WALLET'] (docs/settings.md, 'Phone wallets'), or set "
                "it to None to offer no Google Wallet button.",
                id="tbits_loyalty.E012",
            )
        ]
    return []
