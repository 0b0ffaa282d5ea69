"""A Google Wallet "save" link: a JWT, signed RS256 with the operator's service-account key.

Google's format ("Add to Google Wallet" links): ``https://pay.google.com/gp/v/save/<jwt>``,
the JWT's payload carrying the pass class and object themselves, so no call to Google's
API is needed first. PyJWT signs it (with ``cryptography`` for RS256): the portal writes
no JOSE code of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt

from loyalty.wallet_passes.config import GoogleCredentials
from loyalty.wallet_passes.content import WalletPass

SAVE_URL = "https://pay.google.com/gp/v/save/"


def _localised(text: str, language: str) -> dict[str, Any]:
    return {"defaultValue": {"language": language, "value": text}}


def _moment(moment: dt.datetime) -> dict[str, str]:
    return {"date": moment.isoformat(timespec="seconds")}


def pass_object(wallet_pass: WalletPass, credentials: GoogleCredentials) -> dict[str, Any]:
    """The generic pass object: the title, a standard QR of the code, the validity."""
    issuer = credentials.issuer_id
    item: dict[str, Any] = {
        "id": f"{issuer}.{wallet_pass.serial}",
        "classId": f"{issuer}.{credentials.class_suffix}",
        "state": "ACTIVE",
        "cardTitle": _localised(wallet_pass.organisation, wallet_pass.language),
        "header": _localised(wallet_pass.title, wallet_pass.language),
        "barcode": {
            "type": "QR_CODE",
            "value": wallet_pass.code,
            "alternateText": wallet_pass.code,
        },
        "hexBackgroundColor": wallet_pass.background,
    }
    if wallet_pass.logo_url and wallet_pass.logo_url.startswith("https://"):
        # Google fetches the logo itself, and only over https.
        item["logo"] = {"sourceUri": {"uri": wallet_pass.logo_url}}
    interval: dict[str, Any] = {}
    if wallet_pass.valid_from is not None:
        interval["start"] = _moment(wallet_pass.valid_from)
    if wallet_pass.valid_until is not None:
        interval["end"] = _moment(wallet_pass.valid_until)
    if interval:
        item["validTimeInterval"] = interval
    return item


def save_token(
    wallet_pass: WalletPass,
    credentials: GoogleCredentials,
    *,
    origins: tuple[str, ...],
    now: dt.datetime,
) -> str:
    """The signed JWT that saves this pass to the fan's Google Wallet."""
    claims = {
        "iss": credentials.client_email,
        "aud": "google",
        "typ": "savetowallet",
        "iat": int(now.timestamp()),
        "origins": list(credentials.origins or origins),
        "payload": {
            "genericClasses": [{"id": f"{credentials.issuer_id}.{credentials.class_suffix}"}],
            "genericObjects": [pass_object(wallet_pass, credentials)],
        },
    }
    headers = {"kid": credentials.private_key_id} if credentials.private_key_id else None
    return jwt.encode(claims, credentials.private_key, algorithm="RS256", headers=headers)


def save_url(token: str) -> str:
    """Where the fan's browser goes to save the pass."""
    return SAVE_URL + token
