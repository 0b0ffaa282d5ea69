"""The operator's wallet pass credentials: ``TBITS["APPLE_WALLET"]`` and ``TBITS["GOOGLE_WALLET"]``.

Both are dicts of ids and file paths (docs/settings.md). Files, not values, because the
credentials are a certificate, a private key and a service-account key that operators get
as files and must keep out of the settings module and the environment's listing. Nothing
here ever puts a key, a password or a file's content into a message: problems name the
setting and the path only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from loyalty.app_settings import loyalty_settings

APPLE_REQUIRED = ("PASS_TYPE_ID", "TEAM_ID", "CERTIFICATE", "KEY", "WWDR_CERTIFICATE", "ICON")
APPLE_OPTIONAL = ("KEY_PASSWORD", "LOGO")
GOOGLE_REQUIRED = ("ISSUER_ID", "SERVICE_ACCOUNT_FILE")
GOOGLE_OPTIONAL = ("CLASS_SUFFIX", "ORIGINS")

#: The Google Wallet class every pass object belongs to, unless ``CLASS_SUFFIX`` names one.
DEFAULT_CLASS_SUFFIX = "tbits_loyalty_pass"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class WalletConfigError(Exception):
    """A wallet setting cannot be used; the message names the setting, never a secret."""


@dataclass(frozen=True)
class AppleCredentials:
    """What signs an Apple Wallet pass, loaded from the operator's files."""

    pass_type_id: str
    team_id: str
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = field(repr=False)
    wwdr: x509.Certificate
    icon: bytes = field(repr=False)
    logo: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class GoogleCredentials:
    """What signs a Google Wallet save link, loaded from the service-account file."""

    issuer_id: str
    client_email: str
    private_key: rsa.RSAPrivateKey = field(repr=False)
    private_key_id: str = ""
    class_suffix: str = DEFAULT_CLASS_SUFFIX
    origins: tuple[str, ...] = ()


def _configured(name: str) -> Mapping[str, Any] | None:
    value = getattr(loyalty_settings, name)
    if value is None or value == {}:
        return None
    if not isinstance(value, Mapping):
        raise WalletConfigError(
            f"TBITS['{name}'] must be a dict or None, not {type(value).__name__}"
        )
    return value


def apple_configured() -> bool:
    """Whether the operator set up Apple Wallet passes (checked by ``tbits_loyalty.E011``)."""
    try:
        return _configured("APPLE_WALLET") is not None
    except WalletConfigError:
        return False


def google_configured() -> bool:
    """Whether the operator set up Google Wallet passes (checked by ``tbits_loyalty.E012``)."""
    try:
        return _configured("GOOGLE_WALLET") is not None
    except WalletConfigError:
        return False


def _text(config: Mapping[str, Any], setting: str, key: str) -> str:
    value = config.get(key)
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise WalletConfigError(f"TBITS['{setting}']['{key}'] is required")
    return str(value).strip()


def _read(config: Mapping[str, Any], setting: str, key: str) -> bytes:
    path = Path(_text(config, setting, key))
    try:
        return path.read_bytes()
    except OSError as error:
        # The path is the operator's own; its content never reaches a message.
        raise WalletConfigError(
            f"TBITS['{setting}']['{key}'] cannot be read ({path}): {error.strerror}"
        ) from None


def _unknown_keys(config: Mapping[str, Any], setting: str, known: tuple[str, ...]) -> None:
    unknown = sorted(str(key) for key in config if key not in known)
    if unknown:
        raise WalletConfigError(f"TBITS['{setting}'] has unknown keys: {', '.join(unknown)}")


def _certificate(data: bytes, setting: str, key: str) -> x509.Certificate:
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise WalletConfigError(
            f"TBITS['{setting}']['{key}'] is not a PEM or DER certificate"
        ) from None


def _public_numbers_match(key: Any, certificate: x509.Certificate) -> bool:
    public = certificate.public_key()
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    enc = serialization.Encoding.DER
    return bool(key.public_key().public_bytes(enc, fmt) == public.public_bytes(enc, fmt))


def apple_credentials() -> AppleCredentials | None:
    """The loaded Apple credentials, None when not configured; raises when unusable."""
    setting = "APPLE_WALLET"
    config = _configured(setting)
    if config is None:
        return None
    _unknown_keys(config, setting, APPLE_REQUIRED + APPLE_OPTIONAL)
    certificate = _certificate(_read(config, setting, "CERTIFICATE"), setting, "CERTIFICATE")
    wwdr = _certificate(_read(config, setting, "WWDR_CERTIFICATE"), setting, "WWDR_CERTIFICATE")
    password = config.get("KEY_PASSWORD")
    try:
        key = serialization.load_pem_private_key(
            _read(config, setting, "KEY"), password=str(password).encode() if password else None
        )
    except (ValueError, TypeError):
        # Wrong password, no password for an encrypted key, or not a PEM key: one sentence
        # for all, so the message never hints at which (nor at the password).
        raise WalletConfigError(
            f"TBITS['{setting}']['KEY'] is not a PEM private key that KEY_PASSWORD opens"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise WalletConfigError(f"TBITS['{setting}']['KEY'] must be an RSA or EC key")
    if not _public_numbers_match(key, certificate):
        raise WalletConfigError(
            f"TBITS['{setting}']['KEY'] does not match the certificate in CERTIFICATE"
        )
    icon = _read(config, setting, "ICON")
    logo = _read(config, setting, "LOGO") if config.get("LOGO") else None
    for name, image in (("ICON", icon), ("LOGO", logo)):
        if image is not None and not image.startswith(_PNG_SIGNATURE):
            raise WalletConfigError(f"TBITS['{setting}']['{name}'] must be a PNG image")
    return AppleCredentials(
        pass_type_id=_text(config, setting, "PASS_TYPE_ID"),
        team_id=_text(config, setting, "TEAM_ID"),
        certificate=certificate,
        key=key,
        wwdr=wwdr,
        icon=icon,
        logo=logo,
    )


def google_credentials() -> GoogleCredentials | None:
    """The loaded Google credentials, None when not configured; raises when unusable."""
    setting = "GOOGLE_WALLET"
    config = _configured(setting)
    if config is None:
        return None
    _unknown_keys(config, setting, GOOGLE_REQUIRED + GOOGLE_OPTIONAL)
    issuer_id = _text(config, setting, "ISSUER_ID")
    if not issuer_id.isdigit():
        raise WalletConfigError(f"TBITS['{setting}']['ISSUER_ID'] must be the issuer's number")
    raw = _read(config, setting, "SERVICE_ACCOUNT_FILE")
    try:
        account = json.loads(raw)
        email = str(account["client_email"])
        key = serialization.load_pem_private_key(str(account["private_key"]).encode(), None)
    except (ValueError, TypeError, KeyError):
        raise WalletConfigError(
            f"TBITS['{setting}']['SERVICE_ACCOUNT_FILE'] is not a service-account key file "
            "(JSON with client_email and an unencrypted private_key)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise WalletConfigError(f"TBITS['{setting}']['SERVICE_ACCOUNT_FILE'] needs an RSA key")
    suffix = str(config.get("CLASS_SUFFIX") or DEFAULT_CLASS_SUFFIX).strip()
    if not suffix.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise WalletConfigError(
            f"TBITS['{setting}']['CLASS_SUFFIX'] may hold letters, digits, '.', '_' and '-'"
        )
    origins = config.get("ORIGINS") or ()
    if isinstance(origins, str) or not all(isinstance(item, str) for item in origins):
        raise WalletConfigError(f"TBITS['{setting}']['ORIGINS'] must be a list of origins")
    return GoogleCredentials(
        issuer_id=issuer_id,
        client_email=email,
        private_key=key,
        private_key_id=str(account.get("private_key_id") or ""),
        class_suffix=suffix,
        origins=tuple(origins),
    )
