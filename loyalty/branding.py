"""The business's branding (``style_props``, ``media_map``, ``locale_props``) as safe CSS.

Values come from the API and end up inside a ``<style>`` element, so only colours and font
names in a strict syntax pass; anything else is dropped rather than escaped. For each brand
colour the text colour that reads on it (black or white, by relative luminance) is computed
too, so a light brand colour never yields white-on-yellow buttons; and the brand colour's
shades that read as text on the portal's light and dark surfaces (contrast is computed, not
hoped for: a yellow brand still gets readable links).
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

LOGO_KEYS = ("logo", "logo_image", "image")
HEADER_IMAGE_KEYS = ("header", "header_image", "banner")

# A font-family list: names, quotes, commas, spaces and hyphens; nothing that ends a rule.
_FONT = re.compile(r"^[A-Za-z0-9 ,'\"-]{1,120}$")

#: The surfaces brand text sits on (the design system's --tb-surface, light and dark): the
#: computed text shades keep 4.5:1 on these, the WCAG AA contrast for normal text.
LIGHT_SURFACE = "#f3f4f7"
DARK_SURFACE = "#1b1e23"
TEXT_CONTRAST = 4.5


@dataclass(frozen=True)
class Branding:
    """What a page needs to wear the business's colours and logo."""

    css_variables: tuple[tuple[str, str], ...]
    logo_url: str | None
    name: str
    #: ``locale_props.portal_title``: what the header calls the portal ("Harbour City FC
    #: Fan Club"); the business's name without one.
    title: str = ""
    header_image_url: str | None = None
    #: Variables that change in dark mode (the brand's text shade on dark surfaces).
    dark_css_variables: tuple[tuple[str, str], ...] = ()

    @property
    def css(self) -> str:
        """Rules on the portal's root class (validated values, safe to inline)."""
        if not self.css_variables:
            return ""
        body = "".join(f"{name}:{value};" for name, value in self.css_variables)
        css = f".tb-portal{{{body}}}"
        if self.dark_css_variables:
            dark = "".join(f"{name}:{value};" for name, value in self.dark_css_variables)
            css += f"@media (prefers-color-scheme:dark){{.tb-portal{{{dark}}}}}"
        return css


def _expand(colour: str) -> str:
    colour = colour.lower()
    if len(colour) == 4:
        return "#" + "".join(ch * 2 for ch in colour[1:])
    return colour


def _luminance(colour: str) -> float:
    hex_value = _expand(colour)[1:]
    channels = [int(hex_value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two hex colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour`` (WCAG relative luminance)."""
    luminance = _luminance(colour)
    # Contrast with white is 1.05/(L+0.05); with black (L+0.05)/0.05: pick the larger.
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def readable_shade(colour: str, *, on: str, minimum: float = TEXT_CONTRAST) -> str:
    """``colour``, or the nearest shade toward black or white that reads as text on ``on``.

    Mixed in 5 % steps toward black on a light surface, toward white on a dark one, so the
    shade keeps the brand's hue; at worst it ends at black or white, which always pass.
    """
    colour = _expand(colour)
    target = (0, 0, 0) if _luminance(on) > 0.18 else (255, 255, 255)
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        mix = step / 20
        shade = "#" + "".join(
            f"{round(c + (t - c) * mix):02x}" for c, t in zip(rgb, target, strict=True)
        )
        if contrast(shade, on) >= minimum:
            return shade
    return "#000000" if target == (0, 0, 0) else "#ffffff"


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


def role_variables(style_props: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The design system's roles from style_props: brand, its text shade, accent, font."""
    pairs: list[tuple[str, str]] = []
    brand = style_props.get("primary_color")
    if isinstance(brand, str) and _HEX.match(brand.strip()):
        brand = _expand(brand.strip())
        pairs += [
            ("--tb-brand", brand),
            ("--tb-on-brand", text_colour_on(brand)),
            ("--tb-brand-text", readable_shade(brand, on=LIGHT_SURFACE)),
        ]
    accent = style_props.get("accent_color")
    if isinstance(accent, str) and _HEX.match(accent.strip()):
        accent = _expand(accent.strip())
        pairs += [("--tb-accent", accent), ("--tb-on-accent", text_colour_on(accent))]
    font = style_props.get("font_family")
    if isinstance(font, str) and _FONT.match(font.strip()):
        pairs.append(("--tb-brand-font", font.strip()))
    return tuple(pairs)


def dark_role_variables(style_props: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The roles that change in dark mode: the brand's text shade on the dark surface."""
    brand = style_props.get("primary_color")
    if isinstance(brand, str) and _HEX.match(brand.strip()):
        return (("--tb-brand-text", readable_shade(brand.strip(), on=DARK_SURFACE)),)
    return ()


def _media_url(media_map: Mapping[str, Any], keys: tuple[str, ...], **size: int) -> str | None:
    uid = next(
        (str(media_map[key]) for key in keys if isinstance(media_map.get(key), str | int)), None
    )
    return get_client().media_url(uid, **size) if uid else None


def branding_for(
    *,
    business_name: str,
    style_props: Mapping[str, Any],
    media_map: Mapping[str, Any],
    locale_props: Mapping[str, Any] | None = None,
) -> Branding:
    """The branding of one business; the images are served by the API's media endpoint."""
    title = (locale_props or {}).get("portal_title")
    # Explicit roles come last so they win over a same-named key of ``css_variables``.
    variables = css_variables(style_props) + role_variables(style_props)
    return Branding(
        css_variables=variables,
        logo_url=_media_url(media_map, LOGO_KEYS, height=96),
        name=business_name,
        title=title.strip() if isinstance(title, str) and title.strip() else business_name,
        header_image_url=_media_url(media_map, HEADER_IMAGE_KEYS, width=1040),
        dark_css_variables=dark_role_variables(style_props),
    )
