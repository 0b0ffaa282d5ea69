"""The email address or phone number a fan types to log in, recognised and normalised."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.adapter import get_adapter

_PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
_PHONE_DIGITS = re.compile(r"^\+?\d{7,15}$")  # E.164 allows at most 15 digits


class ContactKind(StrEnum):
    """How the fan is reached; decides whether the code goes by email or by SMS."""

    EMAIL = "email"
    PHONE = "phone"

    @property
    def channel(self) -> str:
        """The Sessions/Connect verification channel for this kind."""
        return "email" if self is ContactKind.EMAIL else "sms"


@dataclass(frozen=True)
class ContactPoint:
    """A normalised email address (lower-cased) or phone number (digits, optional +)."""

    kind: ContactKind
    value: str

    def as_api_fields(self) -> dict[str, str]:
        """The ``email=`` or ``phone=`` keyword the client's connect calls take."""
        return {"email": self.value} if self.kind is ContactKind.EMAIL else {"phone": self.value}

    @property
    def masked(self) -> str:
        """A hint safe to show back on a shared screen: ``j***@example.com``, ``*** 4567``."""
        if self.kind is ContactKind.EMAIL:
            local, _sep, domain = self.value.partition("@")
            return f"{local[:1]}***@{domain}"
        return f"*** {self.value[-4:]}"


def parse_contact(text: str) -> ContactPoint:
    """Recognise an email (anything with ``@``) or a phone number; ``ValidationError`` else."""
    cleaned = (text or "").strip()
    if "@" in cleaned:
        try:
            validate_email(cleaned)
        except ValidationError:
            raise _invalid() from None
        local, _sep, domain = cleaned.rpartition("@")
        # Domains are case-insensitive; local parts are in practice too, and a fan who types
        # a capital letter on a phone keyboard must reach the same account.
        return ContactPoint(kind=ContactKind.EMAIL, value=f"{local}@{domain}".lower())
    phone = _PHONE_PUNCTUATION.sub("", cleaned)
    if _PHONE_DIGITS.match(phone):
        return ContactPoint(kind=ContactKind.PHONE, value=phone)
    raise _invalid()


def _invalid() -> ValidationError:
    return ValidationError(get_adapter().error_message("invalid_contact"), code="invalid_contact")
