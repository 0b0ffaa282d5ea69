"""Recognising the email or phone number a fan types."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts.contact import ContactKind, parse_contact


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("Fan@Example.COM", ContactKind.EMAIL, "fan@example.com"),
        ("  fan@example.com ", ContactKind.EMAIL, "fan@example.com"),
        ("+1 (604) 555-0199", ContactKind.PHONE, "+16045550199"),
        ("1 604.555.0199", ContactKind.PHONE, "+16045550199"),
        ("+33 6 12 34 56 78", ContactKind.PHONE, "+33612345678"),
    ],
)
def test_recognises_email_and_phone(typed: str, kind: ContactKind, value: str) -> None:
    contact = parse_contact(typed)
    assert (contact.kind, contact.value) == (kind, value)


@pytest.mark.parametrize(
    ("region", "typed", "value"),
    [
        ("CA", "604.555.0199", "+16045550199"),
        ("CA", "1 604 555 0199", "+16045550199"),
        ("ca", "+33 6 12 34 56 78", "+33612345678"),
        ("FR", "06 12 34 56 78", "+33612345678"),
    ],
)
def test_national_numbers_are_read_in_the_default_region(
    settings: Any, region: str, typed: str, value: str
) -> None:
    settings.TBITS = {**settings.TBITS, "PHONE_DEFAULT_REGION": region}
    assert parse_contact(typed).value == value


def test_a_national_number_without_a_region_must_carry_its_country_code() -> None:
    # "06..." cannot start with a country code: refused, never sent as some other number.
    with pytest.raises(ValidationError):
        parse_contact("06 12 34 56 78")


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
