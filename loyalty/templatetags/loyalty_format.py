"""Display filters of the portal's templates."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString

from loyalty.icons import icon

register = template.Library()


@register.filter
def points_number(value: object) -> str:
    """A point count with the locale's thousands grouping (1,500 / 1 500)."""
    try:
        return number_format(int(value), force_grouping=True)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""


#: Tier names (English, French) with a colour of their own in the design system; any other
#: tier wears the club's brand colour.
TIER_TONES = {
    "bronze": "bronze",
    "silver": "silver",
    "argent": "silver",
    "gold": "gold",
    "or": "gold",
    "platinum": "platinum",
    "platine": "platinum",
    "diamond": "diamond",
    "diamant": "diamond",
}


@register.filter
def tier_tone(name: object) -> str:
    """The colour class suffix of a tier badge: its metal when its name says one, else brand."""
    words = str(name or "").lower().split()
    return next((TIER_TONES[word] for word in words if word in TIER_TONES), "brand")


@register.simple_tag(name="icon")
def icon_tag(name: str) -> SafeString:
    """``{% icon "lock" %}``: one of the portal's icons (:mod:`loyalty.icons`)."""
    return icon(name)
