"""The branding's contrast maths (loyalty/branding.py): a brand colour never yields
unreadable text, whatever colour the business picked.

WCAG 2 relative luminance and contrast ratio, checked against known values, and the
computed text shades checked to reach 4.5:1 on the portal's light and dark surfaces.
"""

from __future__ import annotations

import pytest

from loyalty import branding


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#fff", "#000", 21.0),  # order and shorthand do not matter
        ("#777777", "#777777", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#0b57d0", "#ffffff", 6.39),
        ("#ffd600", "#000000", 14.87),
    ],
)
def test_contrast_is_the_wcag_ratio(first: str, second: str, ratio: float) -> None:
    assert branding.contrast(first, second) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize(
    ("colour", "text"),
    [
        ("#ffd600", "#000000"),  # yellow: black text, never white-on-yellow
        ("#ffffff", "#000000"),
        ("#0b57d0", "#ffffff"),
        ("#8ab4f8", "#000000"),  # the light blue that gave 2.1:1 white buttons in dark mode
        ("#000", "#ffffff"),
        ("#E53935", "#000000"),  # a mid red: black reads better (5.0:1 vs 4.2:1)
    ],
)
def test_text_colour_on_picks_the_more_readable_of_black_and_white(colour, text) -> None:
    assert branding.text_colour_on(colour) == text
    other = "#ffffff" if text == "#000000" else "#000000"
    assert branding.contrast(colour, text) > branding.contrast(colour, other)


@pytest.mark.parametrize("brand", ["#ffd600", "#8ab4f8", "#0b57d0", "#e53935", "#123", "#fff"])
@pytest.mark.parametrize("surface", [branding.LIGHT_SURFACE, branding.DARK_SURFACE])
def test_readable_shade_reads_as_text_on_the_surface(brand: str, surface: str) -> None:
    shade = branding.readable_shade(brand, on=surface)
    assert branding.contrast(shade, surface) >= branding.TEXT_CONTRAST


def test_readable_shade_keeps_a_colour_that_already_reads_and_the_hue_of_one_that_does_not():
    assert branding.readable_shade("#0b57d0", on=branding.LIGHT_SURFACE) == "#0b57d0"
    shade = branding.readable_shade("#ffd600", on=branding.LIGHT_SURFACE)
    # Darkened toward black, not replaced by it: still a yellow-brown, red > blue.
    assert shade not in ("#ffd600", "#000000")
    red, blue = int(shade[1:3], 16), int(shade[5:7], 16)
    assert red > blue
    # On the dark surface a dark brand is lightened toward white instead.
    dark = branding.readable_shade("#0b57d0", on=branding.DARK_SURFACE)
    assert branding.contrast(dark, "#ffffff") < branding.contrast("#0b57d0", "#ffffff")


def test_branding_css_gives_light_and_dark_text_shades_and_drops_unsafe_values() -> None:
    result = branding.Branding(
        css_variables=branding.role_variables(
            {
                "primary_color": "#FFD600",
                "font_family": "Inter; } body {",
                "accent_color": "#0b57d0",
            }
        ),
        logo_url=None,
        name="Club",
        dark_css_variables=branding.dark_role_variables({"primary_color": "#FFD600"}),
    )
    light = dict(result.css_variables)
    assert light["--tb-brand"] == "#ffd600"
    assert light["--tb-on-brand"] == "#000000"
    assert light["--tb-on-accent"] == "#ffffff"
    assert "--tb-brand-font" not in light  # "}" would end the rule: dropped, not escaped
    assert result.css.startswith(".tb-portal{")
    assert "@media (prefers-color-scheme:dark){.tb-portal{--tb-brand-text:#ffd600;}}" in result.css
    assert "body" not in result.css
