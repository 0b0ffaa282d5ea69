"""The host site's own template tags."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def membership_number(user: Any) -> str:
    membership = getattr(user, "membership", None)
    return membership.number if membership is not None else "no card yet"
