"""The email address or phone number a fan types to log in, recognised and normalised.

A phone number has one form everywhere after this module: E.164 (``+16045552278``), read
with Google's libphonenumber rules (the ``phonenumbers`` package). ``+1 604-555-2278``,
``16045552278`` and, with ``PHONE_DEFAULT_REGION = "CA"``, ``604 555 2278`` are one
number to the API, so they must be one rate-limit key and one API call here too; a
hand-written digit filter kept ``+16045552278`` and ``16045552278`` apart, giving one
phone two budgets of texts and guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.adapter import get_adapter
from accounts.app_settings import app_settings

# What a fan may type around a number: spaces, brackets, dots, dashes, slashes.
_PHONE_TEXT = re.compile(r"^\+?[\d\s().\-/]{7,30}$")


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
    """A normalised email address (lower-cased) or phone number (E.164, ``+`` and digits)."""

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
    phone = normalise_phone(cleaned)
    if phone is None:
        raise _invalid()
    return ContactPoint(kind=ContactKind.PHONE, value=phone)


def normalise_phone(text: str) -> str | None:
    """``text`` as an E.164 number, or ``None`` when it cannot be a phone number.

    Without a leading ``+`` the number is read in ``PHONE_DEFAULT_REGION`` when one is set
    (a national number, or one starting with the country code: libphonenumber takes both),
    else as starting with its country code, as the API reads bare digits. Only the length
    is checked (``is_possible_number``), not the number ranges: the API decides what it can
    text, and a new range must not be refused here first.
    """
    if not _PHONE_TEXT.match(text):
        return None
    region = app_settings.PHONE_DEFAULT_REGION
    international = text.startswith("+") or not region
    try:
        number = phonenumbers.parse(
            text if text.startswith("+") else ("+" + text if international else text),
            None if international else str(region).upper(),
        )
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _invalid() -> ValidationError:
    return ValidationError(get_adapter().error_message("invalid_contact"), code="invalid_contact")
