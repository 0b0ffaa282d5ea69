"""An Apple Wallet pass: a signed ``.pkpass`` (a zip of pass.json, images, manifest, signature).

Apple's format ("Building a pass", PassKit Package Format): ``manifest.json`` lists the
SHA-1 of every other file, and ``signature`` is a detached PKCS#7 signature of the
manifest made with the operator's Pass Type ID certificate, carrying Apple's WWDR
intermediate certificate. The ``cryptography`` package's PKCS#7 builder makes it (it adds
the signing time Apple requires), so no ``openssl`` process and no hand-written ASN.1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.utils.translation import gettext as _

from loyalty.wallet_passes.config import AppleCredentials
from loyalty.wallet_passes.content import WalletPass

CONTENT_TYPE = "application/vnd.apple.pkpass"


def _rgb(colour: str) -> str:
    """Apple's colour syntax, ``rgb(r, g, b)``, from a checked ``#rrggbb``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def _w3c(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _encoding(code: str) -> str:
    # Apple's usual barcode encoding is ISO 8859-1; a code outside it is sent as UTF-8.
    try:
        code.encode("iso-8859-1")
    except UnicodeEncodeError:
        return "utf-8"
    return "iso-8859-1"


def _date_field(key: str, label: str, moment: dt.datetime) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "value": _w3c(moment),
        "dateStyle": "PKDateStyleMedium",
        "timeStyle": "PKDateStyleShort",
    }


def pass_json(wallet_pass: WalletPass, credentials: AppleCredentials) -> dict[str, Any]:
    """pass.json of a generic pass: the title, the validity, a standard QR of the code."""
    barcode = {
        "format": "PKBarcodeFormatQR",
        "message": wallet_pass.code,
        "messageEncoding": _encoding(wallet_pass.code),
        "altText": wallet_pass.code,
    }
    secondary = []
    if wallet_pass.valid_from is not None:
        secondary.append(_date_field("valid_from", _("Valid from"), wallet_pass.valid_from))
    if wallet_pass.valid_until is not None:
        secondary.append(_date_field("valid_until", _("Valid until"), wallet_pass.valid_until))
    document: dict[str, Any] = {
        "formatVersion": 1,
        "passTypeIdentifier": credentials.pass_type_id,
        "teamIdentifier": credentials.team_id,
        "serialNumber": wallet_pass.serial,
        "organizationName": wallet_pass.organisation,
        "description": wallet_pass.description,
        "logoText": wallet_pass.organisation,
        "backgroundColor": _rgb(wallet_pass.background),
        "foregroundColor": _rgb(wallet_pass.foreground),
        "labelColor": _rgb(wallet_pass.foreground),
        "barcodes": [barcode],
        "generic": {
            "primaryFields": [{"key": "title", "label": _("Pass"), "value": wallet_pass.title}],
            "secondaryFields": secondary,
            "backFields": [{"key": "code", "label": _("Pass code"), "value": wallet_pass.code}],
        },
    }
    if wallet_pass.valid_from is not None:
        # The lock screen offers the pass near the time it opens.
        document["relevantDate"] = _w3c(wallet_pass.valid_from)
    if wallet_pass.valid_until is not None:
        document["expirationDate"] = _w3c(wallet_pass.valid_until)
    return document


def manifest(files: dict[str, bytes]) -> bytes:
    """manifest.json: each file's SHA-1, as Apple's format requires (not our choice of hash)."""
    digests = {
        name: hashlib.sha1(data, usedforsecurity=False).hexdigest()
        for name, data in sorted(files.items())
    }
    return json.dumps(digests, indent=2).encode()


def sign(manifest_json: bytes, credentials: AppleCredentials) -> bytes:
    """The detached PKCS#7 (DER) signature of the manifest, with the WWDR certificate."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(manifest_json)
        .add_signer(credentials.certificate, credentials.key, hashes.SHA256())
        .add_certificate(credentials.wwdr)
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


def pkpass(wallet_pass: WalletPass, credentials: AppleCredentials) -> bytes:
    """The signed ``.pkpass`` package of one pass, as bytes to download."""
    files = {
        "pass.json": json.dumps(
            pass_json(wallet_pass, credentials), ensure_ascii=False, indent=2
        ).encode(),
        "icon.png": credentials.icon,
        # Without a logo of its own the pass shows the icon at the top, beside the name.
        "logo.png": credentials.logo or credentials.icon,
    }
    manifest_json = manifest(files)
    files["manifest.json"] = manifest_json
    files["signature"] = sign(manifest_json, credentials)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
