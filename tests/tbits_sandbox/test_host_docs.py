"""What the sandbox tells a site of its own is true of any site, not only the demo (issue 18).

The README said the seed's API key "comes from ``TBITS_API_KEY``" (an environment variable
of the demo project) while the seed reads ``settings.TBITS``; E001's hint told every site to
set the demo's ``TBITS_SANDBOX=0``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tbits_sandbox import checks

README = Path(__file__).resolve().parents[2] / "tbits_sandbox" / "README.md"


def test_e001_tells_any_site_what_to_remove(settings: Any) -> None:
    settings.DEBUG = False
    settings.TBITS_SANDBOX_TEST_SERVER = ""
    (error,) = checks.sandbox_needs_debug()
    assert "TBITS_SANDBOX=" not in error.hint and "TBITS_SANDBOX)" not in error.hint
    assert "INSTALLED_APPS" in error.hint


@pytest.mark.django_db
def test_the_seed_takes_the_credentials_the_readme_says_from_settings_tbits(
    settings: Any,
) -> None:
    settings.TBITS = {
        **settings.TBITS,
        "API_KEY": "key-from-settings",
        "API_SECRET": "secret-from-settings-0a9f",
        "ACCOUNT_ID": "4242",
        "BUSINESS_ID": "4343",
    }
    out = io.StringIO()
    call_command("sandbox_seed", stdout=out)
    assert "key-from-settings" in out.getvalue() and "4343" in out.getvalue()
    assert "secret-from-settings-0a9f" not in out.getvalue()
    table = README.read_text().split("## The demo account", 1)[1].split("It holds", 1)[0]
    for key in ("API_KEY", "API_SECRET", "ACCOUNT_ID", "BUSINESS_ID"):
        assert f'`TBITS["{key}"]`' in table, key
    assert not re.search(r"\| `TBITS_API_\w+` \|", table)


def test_the_readme_says_how_a_site_mounts_it_and_where_api_base_url_points() -> None:
    mounting = " ".join(README.read_text().split("## Mounting", 1)[1].split("## ", 1)[0].split())
    assert "INSTALLED_APPS" in mounting and 'include("tbits_sandbox.urls")' in mounting
    assert "ending in `/sandbox/`" in mounting
