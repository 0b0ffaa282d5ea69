"""Recognising the email or phone number a fan types."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.contact import ContactKind, parse_contact


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("Fan@Example.COM", ContactKind.EMAIL, "fan@example.com"),
        ("  fan@example.com ", ContactKind.EMAIL, "fan@example.com"),
        ("+1 (604) 555-0199", ContactKind.PHONE, "+16045550199"),
        ("604.555.0199", ContactKind.PHONE, "6045550199"),
        ("06 12 34 56 78", ContactKind.PHONE, "0612345678"),
    ],
)
def test_recognises_email_and_phone(typed: str, kind: ContactKind, value: str) -> None:
    contact = parse_contact(typed)
    assert (contact.kind, contact.value) == (kind, value)


@pytest.mark.parametrize(
    "typed", ["", "   ", "not an address", "fan@", "12345", "+1234567890123456", "555-CALL-NOW"]
)
def test_rejects_what_is_neither(typed: str) -> None:
    with pytest.raises(ValidationError):
        parse_contact(typed)


def test_channel_follows_kind() -> None:
    assert parse_contact("fan@example.com").kind.channel == "email"
    assert parse_contact("+16045550199").kind.channel == "sms"


def test_masked_hint_hides_most_of_the_address() -> None:
    assert parse_contact("jane.doe@example.com").masked == "j***@example.com"
    assert parse_contact("+16045550199").masked == "*** 0199"


def test_api_fields() -> None:
    assert parse_contact("fan@example.com").as_api_fields() == {"email": "fan@example.com"}
    assert parse_contact("+16045550199").as_api_fields() == {"phone": "+16045550199"}
