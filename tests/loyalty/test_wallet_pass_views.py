"""The wallet buttons and downloads on the portal's pages (loyalty.wallet_pass_views)."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from django.urls import reverse

from loyalty.wallet_passes import pass_id
from tests.loyalty.sandbox_api import ACCOUNT_ID, log_in_another_fan
from tests.loyalty.wallet_keys import KEY_PASSWORD, WalletFiles, make_wallet_files

pytestmark = pytest.mark.django_db

WALLET = reverse("tbits_loyalty:wallet")
APPLE_LINK = re.compile(r'href="(/[^"]*/apple-wallet/)"')
GOOGLE_LINK = re.compile(r'href="(/[^"]*/google-wallet/)"')


@pytest.fixture
def files(tmp_path: Path) -> WalletFiles:
    return make_wallet_files(tmp_path)


@pytest.fixture
def wallets(loyalty_settings: dict[str, Any], files: WalletFiles) -> WalletFiles:
    loyalty_settings["APPLE_WALLET"] = files.apple
    loyalty_settings["GOOGLE_WALLET"] = files.google
    return files


def _silver_pass(sandbox_api: Any) -> Any:
    """Deliver the Silver pass (600 points) and return the fan's copy in the sandbox."""
    from tbits_sandbox.models import FanReward

    sandbox_api.award(520)
    return FanReward.objects.get(fan_id=501, reward__reward_title="Silver pass")


def _page(client: Any) -> str:
    return re.sub(r"\s+", " ", client.get(WALLET).content.decode())


@pytest.mark.sandbox_full  # pass_code is a field the reference does not document
def test_a_pass_with_a_code_offers_both_wallets_and_downloads_a_signed_pkpass(
    fan_client: Any, sandbox_api: Any, wallets: WalletFiles
) -> None:
    held = _silver_pass(sandbox_api)
    page = _page(fan_client)
    assert "Add to Apple Wallet" in page and "Save to Google Wallet" in page
    apple_url = APPLE_LINK.search(page).group(1)  # type: ignore[union-attr]
    # The pass's code is on the page (its QR), but never in one of our URLs.
    assert held.pass_code not in apple_url
    # No signed link and no credential in the page: the save link is made on the tap.
    for secret in ("pay.google.com", "eyJ", KEY_PASSWORD, "PRIVATE KEY"):
        assert secret not in page
    response = fan_client.get(apple_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.pkpass"
    assert "no-store" in response["Cache-Control"]
    package = zipfile.ZipFile(io.BytesIO(response.content))
    document = json.loads(package.read("pass.json"))
    assert document["barcodes"][0]["message"] == held.pass_code
    assert document["organizationName"]  # the club's name
    assert document["backgroundColor"] == "rgb(255, 214, 0)"  # the seeded club's yellow
    assert "expirationDate" in document and "relevantDate" in document


@pytest.mark.sandbox_full
def test_the_google_link_redirects_to_a_save_jwt_with_the_pass(
    fan_client: Any, sandbox_api: Any, wallets: WalletFiles
) -> None:
    held = _silver_pass(sandbox_api)
    google_url = GOOGLE_LINK.search(_page(fan_client)).group(1)  # type: ignore[union-attr]
    response = fan_client.get(google_url)
    assert response.status_code == 302
    assert response["Referrer-Policy"] == "no-referrer"
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc) == ("https", "pay.google.com")
    token = location.path.removeprefix("/gp/v/save/")
    claims = jwt.decode(token, wallets.google_public_key, algorithms=["RS256"], audience="google")
    (item,) = claims["payload"]["genericObjects"]
    assert item["barcode"]["value"] == held.pass_code
    assert set(item["validTimeInterval"]) == {"start", "end"}
    assert claims["origins"] == ["http://testserver"]


@pytest.mark.sandbox_full
def test_another_fan_gets_404_for_a_pass_that_is_not_theirs(
    fan_client: Any, sandbox_api: Any, wallets: WalletFiles
) -> None:
    from tbits_sandbox.models import Fan

    held = _silver_pass(sandbox_api)
    urls = [
        reverse(f"tbits_loyalty:{name}", args=[pass_id(_as_client_model(held))])
        for name in ("apple_wallet_pass", "google_wallet_pass")
    ]
    assert all(fan_client.get(url).status_code in {200, 302} for url in urls)
    other = Fan.objects.create(fan_id=777, account_id=ACCOUNT_ID, display_name="Other")
    stranger = log_in_another_fan(other)
    assert [stranger.get(url).status_code for url in urls] == [404, 404]
    assert fan_client.get(urls[0].replace(urls[0].split("/")[-3], "0" * 24)).status_code == 404


def _as_client_model(held: Any) -> Any:
    from tbits_client import FanReward

    return FanReward(
        reward_uid=held.reward.reward_uid, reward_type="pass", pass_code=held.pass_code
    )


@pytest.mark.sandbox_full
def test_no_wallet_buttons_unless_configured(
    fan_client: Any, sandbox_api: Any, loyalty_settings: dict[str, Any]
) -> None:
    held = _silver_pass(sandbox_api)
    page = _page(fan_client)
    assert 'class="tb-qr"' in page  # the pass is there, with its code
    assert "Apple Wallet" not in page and "Google Wallet" not in page
    url = reverse("tbits_loyalty:apple_wallet_pass", args=[pass_id(_as_client_model(held))])
    assert fan_client.get(url).status_code == 404


def test_no_wallet_buttons_for_a_pass_without_a_code(
    fan_client: Any, sandbox_api: Any, wallets: WalletFiles, settings: Any
) -> None:
    """A documented-only answer has no pass code: nothing to scan, so no wallet pass."""
    settings.TBITS_SANDBOX_DOCUMENTED_ONLY = True
    _silver_pass(sandbox_api)
    page = _page(fan_client)
    assert "Silver pass" in page
    assert "Apple Wallet" not in page and "Google Wallet" not in page


@pytest.mark.sandbox_full
def test_credentials_that_fail_when_used_send_the_fan_back_with_a_sentence_and_no_secret(
    fan_client: Any, sandbox_api: Any, wallets: WalletFiles, caplog: Any
) -> None:
    _silver_pass(sandbox_api)
    apple_url = APPLE_LINK.search(_page(fan_client)).group(1)  # type: ignore[union-attr]
    Path(wallets.apple["KEY"]).unlink()  # moved since the system checks ran
    with caplog.at_level(logging.DEBUG):
        response = fan_client.get(apple_url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be added to a phone wallet right now" in page
    logged = caplog.text
    assert "['KEY'] cannot be read" in logged
    for secret in (KEY_PASSWORD, wallets.private_key_pem.decode()[40:80]):
        assert secret not in logged and secret not in page
