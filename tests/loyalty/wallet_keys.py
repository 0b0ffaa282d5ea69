"""Wallet credentials made in the test: a stand-in for Apple's WWDR CA, a Pass Type ID
certificate it issued, an icon, and a Google service-account key file.

Nothing here is a real credential; every key is generated per test (RSA 2048, a fraction
of a second).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

PASS_TYPE_ID = "pass.test.portal"
TEAM_ID = "TEAMID1234"
ISSUER_ID = "3388000000012345678"
KEY_PASSWORD = "correct-horse-battery"
SERVICE_EMAIL = "wallet@test-project.iam.gserviceaccount.com"


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _certificate(
    *, subject: str, key: rsa.RSAPrivateKey, issuer: str, issuer_key: rsa.RSAPrivateKey, ca: bool
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def png() -> bytes:
    """A small real PNG (segno writes PNG without Pillow)."""
    buffer = io.BytesIO()
    segno.make_qr("icon").save(buffer, kind="png", scale=2)
    return buffer.getvalue()


@dataclass(frozen=True)
class WalletFiles:
    """Paths of the generated files and the two TBITS dicts that name them."""

    folder: Path
    apple: dict[str, Any]
    google: dict[str, Any]
    ca_pem: Path
    google_public_key: Any
    private_key_pem: bytes


def make_wallet_files(folder: Path) -> WalletFiles:
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate(
        subject="Test WWDR CA", key=ca_key, issuer="Test WWDR CA", issuer_key=ca_key, ca=True
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _certificate(
        subject=f"Pass Type ID: {PASS_TYPE_ID}",
        key=key,
        issuer="Test WWDR CA",
        issuer_key=ca_key,
        ca=False,
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(KEY_PASSWORD.encode()),
    )
    files = {
        "ca.pem": _pem(ca),
        "pass.pem": _pem(certificate),
        "pass.key": key_pem,
        "icon.png": png(),
    }
    google_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    google_pem = google_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    files["service-account.json"] = json.dumps(
        {
            "type": "service_account",
            "client_email": SERVICE_EMAIL,
            "private_key_id": "key-1",
            "private_key": google_pem.decode(),
        }
    ).encode()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return WalletFiles(
        folder=folder,
        apple={
            "PASS_TYPE_ID": PASS_TYPE_ID,
            "TEAM_ID": TEAM_ID,
            "CERTIFICATE": str(folder / "pass.pem"),
            "KEY": str(folder / "pass.key"),
            "KEY_PASSWORD": KEY_PASSWORD,
            "WWDR_CERTIFICATE": str(folder / "ca.pem"),
            "ICON": str(folder / "icon.png"),
        },
        google={
            "ISSUER_ID": ISSUER_ID,
            "SERVICE_ACCOUNT_FILE": str(folder / "service-account.json"),
        },
        ca_pem=folder / "ca.pem",
        google_public_key=google_key.public_key(),
        private_key_pem=google_pem,
    )
