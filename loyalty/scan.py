"""The signed tokens venue QR codes carry, each naming one scan quest.

Signed so that a fan cannot make up a code for a quest they are not at; optionally
time-limited (``SCAN_MAX_AGE``) so a printed code can be retired.
"""

from __future__ import annotations

from django.core import signing

from loyalty.app_settings import loyalty_settings

_SCAN_SALT = "tbits_loyalty.scan"


def scan_token(quest_id: int) -> str:
    """The signed value a venue QR code carries; it names one scan quest."""
    return signing.dumps({"q": int(quest_id)}, salt=_SCAN_SALT, compress=True)


def quest_id_from_scan_token(token: str) -> int | None:
    """The quest a scan token names, or None when it is forged, garbled or too old."""
    max_age = loyalty_settings.SCAN_MAX_AGE
    try:
        payload = signing.loads(token, salt=_SCAN_SALT, max_age=int(max_age) if max_age else None)
    except signing.BadSignature:
        return None
    value = payload.get("q") if isinstance(payload, dict) else None
    return value if isinstance(value, int) else None
