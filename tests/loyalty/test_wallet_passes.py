"""Wallet passes as files: the .pkpass's manifest and signature, the Google save JWT,
and the configuration checks (loyalty.wallet_passes)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import jwt
import pytest

from loyalty.checks import check_settings
from loyalty.wallet_passes import (
    WalletConfigError,
    apple,
    apple_credentials,
    google,
    google_credentials,
    pass_id,
    wallet_pass,
)
from tbits_client import FanReward
from tests.loyalty.wallet_keys import (
    ISSUER_ID,
    KEY_PASSWORD,
    PASS_TYPE_ID,
    SERVICE_EMAIL,
    TEAM_ID,
    WalletFiles,
    make_wallet_files,
)

OPENS = dt.datetime(2026, 12, 6, 18, 0, tzinfo=dt.UTC)
CLOSES = dt.datetime(2026, 12, 6, 23, 0, tzinfo=dt.UTC)
HELD = FanReward(
    reward_uid="r-silver", reward_title="Silver pass", reward_type="pass", pass_code="PASS-4821"
)


@pytest.fixture
def files(tmp_path: Path) -> WalletFiles:
    return make_wallet_files(tmp_path)


@pytest.fixture
def configured(settings: Any, files: WalletFiles) -> WalletFiles:
    settings.TBITS = {**getattr(settings, "TBITS", {}), "APPLE_WALLET": files.apple}
    settings.TBITS["GOOGLE_WALLET"] = files.google
    return files


def _content() -> Any:
    return wallet_pass(
        HELD,
        organisation="Harbour City FC",
        description="Silver pass",
        brand_colour="#ffd600",
        valid_from=OPENS,
        valid_until=CLOSES,
        logo_url="https://media.example/logo.png",
        language="en",
    )


def test_pkpass_manifest_hashes_match_and_the_signature_verifies(configured: WalletFiles) -> None:
    credentials = apple_credentials()
    assert credentials is not None
    package = zipfile.ZipFile(io.BytesIO(apple.pkpass(_content(), credentials)))
    names = set(package.namelist())
    assert {"pass.json", "manifest.json", "signature", "icon.png", "logo.png"} <= names
    manifest = json.loads(package.read("manifest.json"))
    # Every file but the manifest and the signature is listed, with its SHA-1.
    assert set(manifest) == names - {"manifest.json", "signature"}
    for name, digest in manifest.items():
        assert hashlib.sha1(package.read(name), usedforsecurity=False).hexdigest() == digest
    folder = configured.folder
    (folder / "manifest.json").write_bytes(package.read("manifest.json"))
    (folder / "signature").write_bytes(package.read("signature"))
    verified = subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", str(folder / "signature"),
            "-content", str(folder / "manifest.json"),
            "-CAfile", str(configured.ca_pem),
            "-purpose", "any", "-out", "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    # A manifest changed after signing no longer verifies: the check is real.
    (folder / "manifest.json").write_bytes(package.read("manifest.json").replace(b"a", b"b", 1))
    tampered = subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary", "-inform", "DER",
            "-in", str(folder / "signature"),
            "-content", str(folder / "manifest.json"),
            "-CAfile", str(configured.ca_pem), "-purpose", "any", "-out", "/dev/null",
        ],
        capture_output=True,
        check=False,
    )  # fmt: skip
    assert tampered.returncode != 0


def test_pass_json_is_a_standard_qr_of_the_code_with_validity_and_the_clubs_colours(
    configured: WalletFiles,
) -> None:
    credentials = apple_credentials()
    assert credentials is not None
    package = zipfile.ZipFile(io.BytesIO(apple.pkpass(_content(), credentials)))
    document = json.loads(package.read("pass.json"))
    assert document["passTypeIdentifier"] == PASS_TYPE_ID
    assert document["teamIdentifier"] == TEAM_ID
    assert document["serialNumber"] == pass_id(HELD)
    assert "PASS-4821" not in document["serialNumber"]
    assert document["barcodes"] == [
        {
            "format": "PKBarcodeFormatQR",
            "message": "PASS-4821",
            "messageEncoding": "iso-8859-1",
            "altText": "PASS-4821",
        }
    ]
    assert document["relevantDate"] == "2026-12-06T18:00:00+00:00"
    assert document["expirationDate"] == "2026-12-06T23:00:00+00:00"
    # The club's yellow, with the black text that reads on it.
    assert document["backgroundColor"] == "rgb(255, 214, 0)"
    assert document["foregroundColor"] == "rgb(0, 0, 0)"
    assert document["organizationName"] == "Harbour City FC"
    assert package.read("icon.png").startswith(b"\x89PNG")


def test_google_jwt_verifies_with_the_key_and_carries_the_code_and_validity(
    configured: WalletFiles,
) -> None:
    credentials = google_credentials()
    assert credentials is not None
    token = google.save_token(
        _content(), credentials, origins=("https://fans.example",), now=dt.datetime.now(dt.UTC)
    )
    claims = jwt.decode(
        token, configured.google_public_key, algorithms=["RS256"], audience="google"
    )
    assert jwt.get_unverified_header(token)["kid"] == "key-1"
    assert claims["iss"] == SERVICE_EMAIL and claims["typ"] == "savetowallet"
    assert claims["origins"] == ["https://fans.example"]
    (item,) = claims["payload"]["genericObjects"]
    assert item["id"] == f"{ISSUER_ID}.{pass_id(HELD)}"
    assert item["classId"] == claims["payload"]["genericClasses"][0]["id"]
    assert item["barcode"] == {
        "type": "QR_CODE",
        "value": "PASS-4821",
        "alternateText": "PASS-4821",
    }
    assert item["validTimeInterval"] == {
        "start": {"date": "2026-12-06T18:00:00+00:00"},
        "end": {"date": "2026-12-06T23:00:00+00:00"},
    }
    assert item["hexBackgroundColor"] == "#ffd600"
    assert item["logo"] == {"sourceUri": {"uri": "https://media.example/logo.png"}}
    assert google.save_url(token) == f"https://pay.google.com/gp/v/save/{token}"
    # Signed by another key, it does not verify: the test is not vacuous.
    (configured.folder / "other").mkdir()
    other = make_wallet_files(configured.folder / "other")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, other.google_public_key, algorithms=["RS256"], audience="google")


def test_a_pass_without_a_code_is_no_wallet_pass() -> None:
    from loyalty.wallet_passes import find_pass, has_wallet_code

    documented = FanReward(reward_uid="r-silver", reward_title="Silver pass", reward_type="pass")
    assert not has_wallet_code(documented)
    assert find_pass([documented], pass_id(documented)) is None
    assert find_pass([HELD], pass_id(HELD)) is HELD
    assert find_pass([HELD], "0" * 24) is None


def _ids(settings: Any) -> list[tuple[str, str]]:
    return [(str(problem.id), str(problem.msg)) for problem in check_settings()]


def test_checks_accept_a_working_configuration(settings: Any, configured: WalletFiles) -> None:
    assert not [
        item for item in _ids(settings) if item[0] in {"tbits_loyalty.E011", "tbits_loyalty.E012"}
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda apple, folder: apple.pop("TEAM_ID"), "['TEAM_ID'] is required"),
        (
            lambda apple, folder: apple.update(ICON=str(folder / "missing.png")),
            "['ICON'] cannot be read",
        ),
        (lambda apple, folder: apple.update(KEY_PASSWORD="wrong"), "not a PEM private key"),
        (
            lambda apple, folder: apple.update(CERTIFICATE=apple["WWDR_CERTIFICATE"]),
            "does not match the certificate",
        ),
        (lambda apple, folder: apple.update(ICON=apple["CERTIFICATE"]), "must be a PNG"),
        (lambda apple, folder: apple.update(PASS_ID="x"), "unknown keys: PASS_ID"),
    ],
)
def test_checks_report_an_unusable_apple_configuration_without_its_secrets(
    settings: Any, files: WalletFiles, change: Any, expected: str
) -> None:
    apple_settings = dict(files.apple)
    change(apple_settings, files.folder)
    settings.TBITS = {**getattr(settings, "TBITS", {}), "APPLE_WALLET": apple_settings}
    problems = [msg for id_, msg in _ids(settings) if id_ == "tbits_loyalty.E011"]
    assert len(problems) == 1 and expected in problems[0]
    assert KEY_PASSWORD not in problems[0] and "PRIVATE KEY" not in problems[0]
    with pytest.raises(WalletConfigError):
        apple_credentials()


def test_checks_report_an_unusable_google_configuration(settings: Any, files: WalletFiles) -> None:
    (files.folder / "bad.json").write_text('{"client_email": "x@example.com"}')
    settings.TBITS = {
        **getattr(settings, "TBITS", {}),
        "GOOGLE_WALLET": {**files.google, "SERVICE_ACCOUNT_FILE": str(files.folder / "bad.json")},
    }
    problems = [msg for id_, msg in _ids(settings) if id_ == "tbits_loyalty.E012"]
    assert len(problems) == 1 and "not a service-account key file" in problems[0]
    settings.TBITS["GOOGLE_WALLET"] = {**files.google, "ISSUER_ID": "my-issuer"}
    assert [id_ for id_, _ in _ids(settings) if id_ == "tbits_loyalty.E012"]


def test_tbits_check_lists_the_wallet_problem(settings: Any, files: WalletFiles) -> None:
    from loyalty.management.commands.tbits_check import system_check_findings

    settings.TBITS = {
        **getattr(settings, "TBITS", {}),
        "APPLE_WALLET": {**files.apple, "KEY": str(files.folder / "nowhere.key")},
    }
    findings = [f for f in system_check_findings() if f.code.endswith("tbits_loyalty.E011")]
    assert len(findings) == 1 and findings[0].is_problem
    assert "['KEY'] cannot be read" in findings[0].message
