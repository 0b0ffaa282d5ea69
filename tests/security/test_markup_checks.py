"""Controls for the markup checks: each one catches what it exists to catch."""

from __future__ import annotations

import pytest

from tests.security.test_hostile_api_data import IMG, SCRIPT, inert


@pytest.mark.parametrize(
    "page",
    [
        f"<p>{SCRIPT}</p>",
        f"<p>{IMG}</p>",
        '<p><a href="javascript:alert(1)">x</a></p>',
        '<img src="data:image/svg+xml,x">',
        "<style>a{}</style><script>alert(4)</script>",
        '<script src="/static/x.js"></script>',  # our own script without its nonce
        '<div onclick="x()">x</div>',
    ],
)
def test_inert_refuses_live_markup(page: str) -> None:
    with pytest.raises(AssertionError):
        inert(page, where="control")


def test_inert_accepts_escaped_text_and_our_own_script() -> None:
    page = (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        '<script src="/static/tbits_loyalty/portal.js" nonce="abc" defer></script>'
        '<a href="https://club.example/">x</a>'
    )
    assert SCRIPT in inert(page, where="control").text
