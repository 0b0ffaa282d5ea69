"""The QR code of a pass, drawn once per code."""

from __future__ import annotations

import functools

import segno
from django.utils.safestring import SafeString, mark_safe


# Memoised by its whole input, not a cache of data: the same code always draws the same
# SVG, so no page can get another's, and segno takes ~2 ms a code while a fan's pass shows
# on every dashboard and wallet view.
@functools.lru_cache(maxsize=512)
def qr_svg(value: str) -> SafeString:
    """An inline SVG QR code for ``value`` (segno builds the markup; nothing user-written).

    Always a standard QR code (``make_qr``): for a short value ``segno.make`` picks Micro
    QR, whose single finder pattern many phone cameras and gate scanners cannot read. Error
    level M at least (segno raises it when the size allows) and the standard's quiet zone of
    four modules, so a pass scans at arm's length from a phone held in the dark.
    """
    code = segno.make_qr(value, error="m")
    svg = code.svg_inline(scale=5, border=4, dark="#000000", light="#ffffff", omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno's own SVG paths, no text from the value
