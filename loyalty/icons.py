"""The portal's small icon set: inline SVG from Lucide (ISC licence:
loyalty/static/tbits_loyalty/LICENSE-lucide.txt), one string per icon.

Built once at import: a quest board draws one to three icons per card, and an ``{% include %}``
choosing among sixteen names by ``{% if %}`` cost more than the rest of the card. Icons are
decorative: the text beside each says the same, so they are hidden from assistive technology.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

#: The drawing of each icon, inside a 24 x 24 view box.
PATHS = {
    "home": ('<path d="m3 9 9-7 9 7v11a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/><path d="M9 22V12h6v10"/>'),
    "quests": (
        '<path d="M4 15s1-1 4-1 5 2 8 2 4-1 4-1V3s-1 1-4 1-5-2-8-2-4 1-4 1z"/><path d="M4 22v-7"/>'
    ),
    "rewards": (
        '<rect x="3" y="8" width="18" height="4" rx="1"/>'
        '<path d="M12 8v13"/>'
        '<path d="M19 12v7a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2v-7"/>'
        '<path d="M7.5 8a2.5 2.5 0 0 1 0-5C11 3 12 8 12 8s1-5 4.5-5a2.5 2.5 0 0 1 0 5"/>'
    ),
    "me": ('<circle cx="12" cy="8" r="5"/><path d="M20 21a8 8 0 0 0-16 0"/>'),
    "trophy": (
        '<path d="M6 9H4.5a2.5 2.5 0 0 1 0-5H6"/>'
        '<path d="M18 9h1.5a2.5 2.5 0 0 0 0-5H18"/>'
        '<path d="M4 22h16"/>'
        '<path d="M10 14.66V17c0 .55-.47.98-.97 1.21C7.85 18.75 7 20.24 7 22"/>'
        '<path d="M14 14.66V17c0 .55.47.98.97 1.21C16.15 18.75 17 20.24 17 22"/>'
        '<path d="M18 2H6v7a6 6 0 0 0 12 0V2Z"/>'
    ),
    "history": (
        '<path d="M3 12a9 9 0 1 0 9-9 9.75 9.75 0 0 0-6.74 2.74L3 8"/>'
        '<path d="M3 3v5h5"/>'
        '<path d="M12 7v5l4 2"/>'
    ),
    "check": ('<path d="M20 6 9 17l-5-5"/>'),
    "lock": (
        '<rect x="3" y="11" width="18" height="11" rx="2"/><path d="M7 11V7a5 5 0 0 1 10 0v4"/>'
    ),
    "clock": ('<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>'),
    "pin": (
        '<path d="M20 10c0 6-8 12-8 12s-8-6-8-12a8 8 0 0 1 16 0Z"/><circle cx="12" cy="10" r="3"/>'
    ),
    "team": (
        '<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2"/>'
        '<circle cx="9" cy="7" r="4"/>'
        '<path d="M22 21v-2a4 4 0 0 0-3-3.87"/>'
        '<path d="M16 3.13a4 4 0 0 1 0 7.75"/>'
    ),
    "logout": (
        '<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4"/>'
        '<path d="m16 17 5-5-5-5"/>'
        '<path d="M21 12H9"/>'
    ),
    "qr": (
        '<rect x="3" y="3" width="7" height="7" rx="1"/>'
        '<rect x="14" y="3" width="7" height="7" rx="1"/>'
        '<rect x="3" y="14" width="7" height="7" rx="1"/>'
        '<path d="M14 14h3v3h-3zM21 14v7h-7"/>'
    ),
    "wallet": (
        '<path d="M19 7V4a1 1 0 0 0-1-1H5a2 2 0 0 0 0 4h15a1 1 0 0 1 1 1v4h-3a2 2 0 0 0 0 4h3'
        'a1 1 0 0 0 1-1v-2a1 1 0 0 0-1-1"/>'
        '<path d="M3 5v14a2 2 0 0 0 2 2h15a1 1 0 0 0 1-1v-4"/>'
    ),
    "eye": (
        '<path d="M2 12s3-7 10-7 10 7 10 7-3 7-10 7-10-7-10-7Z"/><circle cx="12" cy="12" r="3"/>'
    ),
}

_OPEN = (
    '<svg class="tb-icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
    'width="20" height="20">'
)

#: Each icon as markup, ready to print.
ICONS: dict[str, SafeString] = {
    name: mark_safe(f"{_OPEN}{paths}</svg>")  # noqa: S308 - constant markup
    for name, paths in PATHS.items()
}


def icon(name: str) -> SafeString:
    """The markup of icon ``name``; an unknown name draws an empty icon (the old include did)."""
    return ICONS.get(name) or mark_safe(f"{_OPEN}</svg>")  # noqa: S308 - constant markup
