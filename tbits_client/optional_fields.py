"""Answer fields the reference does not document, which the portal uses when an API sends them.

The portal is correct on documented answers alone (the sandbox's documented-only mode proves
it); each field here only adds something, and its absence has a documented fallback. The
table is rendered into docs/endpoints.md, and ``tbits_check`` reports which of the fields it
can see (those of the catalogue calls) the API answers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OPTIONAL_FIELDS", "OptionalField", "render_optional_fields"]


@dataclass(frozen=True, slots=True)
class OptionalField:
    """One undocumented field: on which call's answer, what it turns on, what is done without."""

    call: str  # a name of the endpoint table (tbits_client.endpoints)
    field: str
    turns_on: str
    without: str
    # Whether tbits_check can see it: the catalogue calls it makes hold it.
    seen_by_check: bool = False


OPTIONAL_FIELDS: tuple[OptionalField, ...] = (
    OptionalField(
        "businesses",
        "point_uid",
        "the business's point type, without TBITS['POINT_TYPE'], and the tiers in the first "
        "round trip of a cold page",
        "TBITS['POINT_TYPE'], else the account's only point type, else the one the "
        "business's quests name (loyalty/point_type.py)",
        seen_by_check=True,
    ),
    OptionalField(
        "businesses",
        "point_name",
        "the point type's name without listing the point types",
        "the name from the point types list",
        seen_by_check=True,
    ),
    OptionalField(
        "businesses",
        "account_id",
        "tbits_check's account-mismatch finding (TBITS['ACCOUNT_ID'] of another account)",
        "the check is not made",
        seen_by_check=True,
    ),
    OptionalField(
        "rewards",
        "delivered_count",
        '"All claimed" on a first-N reward whose places are taken',
        "the reward shows as open until the provider stops delivering it",
        seen_by_check=True,
    ),
    OptionalField(
        "rewards",
        "remaining",
        "the same, from the places left",
        "as above",
        seen_by_check=True,
    ),
    OptionalField(
        "performances",
        "start_timestamp",
        "an event's window to the minute (quests and rewards tied to it)",
        "the event's day, `performance_date`, in EVENT_TIMEZONE",
        seen_by_check=True,
    ),
    OptionalField(
        "performances",
        "end_timestamp",
        "as above",
        "as above",
        seen_by_check=True,
    ),
    OptionalField(
        "fan_rewards",
        "pass_code",
        "the pass's QR code in the wallet",
        "the card says the code is in the team's email or text message",
    ),
    OptionalField(
        "fan_rewards",
        "prize_code",
        'the prize code behind "Reveal your code"',
        "the card says the code is in the team's email or text message",
    ),
    OptionalField(
        "fan_rewards",
        "status",
        "the delivery line of a wristband or venue promotion",
        "no delivery line; the card says where the promotion goes",
    ),
    OptionalField(
        "fan_rewards",
        "delivered_timestamp",
        'when a reward arrived: "New" marks and the wallet\'s order',
        "the reward's `creation_timestamp`",
    ),
    OptionalField(
        "reward_updates",
        "fan_reward_uid",
        "one delivery told from another when a fan could hold a reward twice",
        "the reward and the fan name the delivery (a fan holds a reward once)",
    ),
    OptionalField(
        "reward_updates",
        "status",
        "delivery status changes recorded by poll_rewards",
        "a delivery is recorded once, without status",
    ),
    OptionalField(
        "reward_updates",
        "delivered_timestamp",
        'when a delivery happened, for the "new reward" banner',
        "the time poll_rewards first saw it",
    ),
    OptionalField(
        "reward_updates",
        "business_id",
        "deliveries sorted by business without the catalogue",
        "the reward's business from the catalogue",
    ),
    OptionalField(
        "session_fan",
        "display_name",
        "the display name shown in the profile form",
        "the field starts empty and is sent only when the fan types one",
    ),
    OptionalField(
        "session_fan",
        "is_phone_subscribed",
        "the text-message preference shown in the profile form",
        "the box starts unticked and is sent only when the fan changes it",
    ),
    OptionalField(
        "crm_fan",
        "email",
        "the email of a wristband registration",
        "the address the fan proved at login (code or password)",
    ),
)


def render_optional_fields() -> str:
    """The "Fields used when present" section of docs/endpoints.md."""
    lines = [
        "## Fields used when present",
        "",
        "Fields the reference does not document on these answers. The portal is correct "
        "without them (tested against the sandbox's documented-only mode, "
        "`TBITS_SANDBOX_DOCUMENTED_ONLY=1`); when an API sends them, they turn on what the "
        "table says. `manage.py tbits_check` reports which of those marked *check* the API "
        "answers.",
        "",
        "| call | field | turns on | without it | check |",
        "|---|---|---|---|---|",
    ]
    for item in OPTIONAL_FIELDS:
        lines.append(
            f"| `{item.call}` | `{item.field}` | {item.turns_on} | {item.without} "
            f"| {'yes' if item.seen_by_check else ''} |"
        )
    lines.append("")
    return "\n".join(lines)
