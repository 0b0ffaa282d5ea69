"""Display filters of the portal's templates."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def points_number(value: object) -> str:
    """A point count with the locale's thousands grouping (1,500 / 1 500)."""
    try:
        return number_format(int(value), force_grouping=True)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
