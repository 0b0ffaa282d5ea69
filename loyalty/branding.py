"""The business's branding (``style_props``, ``media_map``) as safe CSS custom properties.

Values come from the API and end up inside a ``<style>`` element, so only colours in a
strict syntax pass; anything else is dropped rather than escaped. For each brand colour the
text colour that reads on it (black or white, by relative luminance) is computed too, so a
light brand colour never yields white-on-yellow buttons.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accounts.api import get_client

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

#: style_props keys with a role in the default theme; other ``*_color`` keys become
#: ``--tb-brand-<name>`` for site templates to use.
ROLES = {
    "primary_color": "--tb-primary",
    "secondary_color": "--tb-secondary",
    "accent_color": "--tb-accent",
}

LOGO_KEYS = ("logo", "logo_image", "header_image", "image")


@dataclass(frozen=True)
class Branding:
    """What a page needs to wear the business's colours and logo."""

    css_variables: tuple[tuple[str, str], ...]
    logo_url: str | None
    name: str

    @property
    def css(self) -> str:
        """A ``:root`` rule declaring the variables (already validated, safe to inline)."""
        if not self.css_variables:
            return ""
        body = "".join(f"{name}:{value};" for name, value in self.css_variables)
        return f":root{{{body}}}"


def _expand(colour: str) -> str:
    colour = colour.lower()
    if len(colour) == 4:
        return "#" + "".join(ch * 2 for ch in colour[1:])
    return colour


def text_colour_on(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance)."""
    hex_value = _expand(colour)[1:]
    channels = [int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with white is 1.05/(L+0.05); with black (L+0.05)/0.05: pick the larger.
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def css_variables(style_props: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Validated ``(--name, value)`` pairs from a business's style_props."""
    pairs: list[tuple[str, str]] = []
    for key, value in sorted(style_props.items()):
        if not isinstance(key, str) or not isinstance(value, str):
            continue
        value = value.strip()
        if not _NAME.match(key) or not key.endswith("color") or not _HEX.match(value):
            continue
        name = ROLES.get(key) or "--tb-brand-" + key.removesuffix("_color").replace("_", "-")
        pairs.append((name, _expand(value)))
        pairs.append((name + "-text", text_colour_on(value)))
    return tuple(pairs)


def branding_for(
    *, business_name: str, style_props: Mapping[str, Any], media_map: Mapping[str, Any]
) -> Branding:
    """The branding of one business; the logo is served by the API's media endpoint."""
    logo_uid = next(
        (str(media_map[key]) for key in LOGO_KEYS if isinstance(media_map.get(key), str | int)),
        None,
    )
    logo_url = get_client().media_url(logo_uid, height=96) if logo_uid else None
    return Branding(css_variables=css_variables(style_props), logo_url=logo_url, name=business_name)
