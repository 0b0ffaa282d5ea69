"""Images for ``/fb_media/<media_uid>``, drawn from a recipe at the requested size.

No imaging library and no network: SVG is text, and PNG is a small hand-written encoder
(a diagonal gradient between two colours), enough for a real ``<img>`` to show.
"""

from __future__ import annotations

import struct
import zlib
from xml.sax.saxutils import escape

from tbits_sandbox.models import MediaAsset

MAX_SIDE = 2000


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def render_svg(asset: MediaAsset, *, width: int, height: int) -> bytes:
    """A gradient card with the asset's label, as SVG."""
    font = max(10, min(width, height) // 6)
    label = escape(asset.label)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{asset.colour_from}"/>'
        f'<stop offset="1" stop-color="{asset.colour_to}"/>'
        "</linearGradient></defs>"
        f'<rect width="{width}" height="{height}" fill="url(#g)"/>'
        f'<text x="50%" y="50%" dominant-baseline="middle" text-anchor="middle" '
        f'font-family="system-ui, sans-serif" font-weight="700" font-size="{font}" '
        f'fill="#ffffff">{label}</text></svg>'
    )
    return svg.encode()


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def render_png(asset: MediaAsset, *, width: int, height: int) -> bytes:
    """A diagonal gradient between the asset's two colours, as an RGB PNG."""
    start, end = _rgb(asset.colour_from), _rgb(asset.colour_to)
    span = max(1, width + height - 2)
    # Pixel (x, y) has colour number x + y, so every row is a slice of one long line.
    line = bytearray()
    for step in range(width + height - 1):
        t = step / span
        line.extend(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        rows += line[y * 3 : (y + width) * 3]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 6))
        + _chunk(b"IEND", b"")
    )


def size_for(asset: MediaAsset, *, width: int | None, height: int | None) -> tuple[int, int]:
    """The size to draw: as asked, keeping the aspect ratio when only one side is given."""
    if width and height:
        return width, height
    if width:
        return width, max(1, round(width * asset.height / asset.width))
    if height:
        return max(1, round(height * asset.width / asset.height)), height
    return asset.width, asset.height


def render(asset: MediaAsset, *, width: int | None, height: int | None) -> tuple[bytes, str]:
    """The image bytes and their content type."""
    w, h = size_for(asset, width=width, height=height)
    if asset.format == MediaAsset.Format.PNG:
        return render_png(asset, width=w, height=h), "image/png"
    return render_svg(asset, width=w, height=h), "image/svg+xml"
