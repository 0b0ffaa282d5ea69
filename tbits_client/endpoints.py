"""The one endpoint table: every call the client makes, with its method and path.

Paths the provider's docs print verbatim are marked ``documented``; paths the docs describe
without printing are ``inferred``, so when the provider corrects us the fix is one line
here. Everything else about a call that the client's behaviour depends on lives in the same
row: whether it needs the API secret, whether repeating it is harmless (and so may be
retried), and whether a 401 means the fan's session has expired.

``python -m tbits_client > docs/endpoints.md`` regenerates the project's docs from
this table; a test fails when the committed file is stale.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .optional_fields import render_optional_fields

__all__ = ["ENDPOINTS", "Endpoint", "HttpMethod", "Provenance", "endpoint", "render_markdown"]


class HttpMethod(enum.StrEnum):
    GET = "GET"
    POST = "POST"
    DELETE = "DELETE"


class Provenance(enum.StrEnum):
    """Where a path comes from: printed in the provider's docs, or our reading of them."""

    DOCUMENTED = "documented"
    INFERRED = "inferred"


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One row of the table. ``path`` is a template relative to the API's base URL."""

    name: str
    method: HttpMethod
    path: str
    provenance: Provenance
    summary: str
    client_methods: tuple[str, ...]
    needs_secret: bool = True
    retry_safe: bool = False
    session_bound: bool = False
    # False for URLs a browser opens (OAuth start, media): the client only builds them.
    sends_request: bool = True
    notes: str = ""

    @property
    def path_params(self) -> tuple[str, ...]:
        """Names of the ``{placeholders}`` in the path, in order."""
        return tuple(
            field for _, field, _, _ in string.Formatter().parse(self.path) if field is not None
        )


def _rows() -> tuple[Endpoint, ...]:
    get, post, delete = HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE
    doc, inf = Provenance.DOCUMENTED, Provenance.INFERRED
    # fmt: off
    return (
        # --- Fan login and session (website-integration.txt) ---
        Endpoint(
            "status", post, "api/v1/status", doc,
            "Account branding and legal texts for the login pages.",
            ("status",), needs_secret=False, retry_safe=True,
            notes="A read despite being a POST, so retried like a GET.",
        ),
        Endpoint(
            "oauth_authorize", get, "crm/oauth", doc,
            "OAuth start: the page the fan's browser is sent to.",
            ("oauth_url",), needs_secret=False, sends_request=False,
            notes="Query: account_id, business_id, login_type, redirect_url. No key in the URL.",
        ),
        Endpoint(
            "oauth_access_token", get, "crm/access_token", doc,
            "Exchange the OAuth code for a fan session.",
            ("exchange_oauth_code",), needs_secret=True, retry_safe=False,
            notes="The one-time code travels in the query, as documented; never retried.",
        ),
        Endpoint(
            "sessions_connect", post, "api/v1/sessions/connect", doc,
            "Sessions/Connect: look-up, send and submit a code, register, password, guest.",
            (
                "connect_lookup", "connect_send_code", "connect_submit_code",
                "connect_register", "connect_password", "connect_guest",
            ),
            needs_secret=False, retry_safe=False,
            notes="`network` selects the step. Never retried: a repeat sends another code, "
            "burns an attempt or registers twice.",
        ),
        Endpoint(
            "session", get, "api/v1/sessions/{session_uid}", doc,
            "A fan session.", ("get_session",),
            needs_secret=False, retry_safe=True, session_bound=True,
        ),
        Endpoint(
            "session_fan", get, "api/v1/sessions/{session_uid}/fan", doc,
            "The fan record of a session (with tags).", ("get_session_fan",),
            needs_secret=False, retry_safe=True, session_bound=True,
        ),
        Endpoint(
            "session_fan_update", post, "api/v1/sessions/{session_uid}/fan", doc,
            "Update the fan of a session (names, password, display name, opt-ins).",
            ("update_session_fan",), needs_secret=False, session_bound=True,
        ),
        Endpoint(
            "session_points", get, "api/v1/sessions/{session_uid}/points", inf,
            "The session fan's point balances.", ("get_session_points",),
            needs_secret=False, retry_safe=True, session_bound=True,
        ),
        Endpoint(
            "idols", get, "api/v1/idols", doc,
            "Idols (artists), optionally by idol_name search or one label.", ("idols",),
            needs_secret=False, retry_safe=True,
        ),
        Endpoint(
            "idol", get, "api/v1/idols/{idol_uid}", inf,
            "One idol (\"Obtain an idol for a given idol_uid\", Idols).", ("idol",),
            needs_secret=False, retry_safe=True,
        ),
        Endpoint(
            "idol_events", get, "api/v1/idols/events", doc,
            "Idol events, by idol_uid, venue_name, q, label_name, start_date, end_date.",
            ("idol_events",),
            needs_secret=False, retry_safe=True,
        ),
        Endpoint(
            "session_idols", get, "api/v1/sessions/{session_uid}/idols", doc,
            "Idols the session's fan likes.", ("session_idols",),
            needs_secret=False, retry_safe=True, session_bound=True,
        ),
        Endpoint(
            "session_idols_update", post, "api/v1/sessions/{session_uid}/idols", doc,
            "Like (action=add) or unlike (action=delete) an idol.",
            ("like_idol", "unlike_idol"), needs_secret=False, session_bound=True,
        ),
        # --- Loyalty (loyalty-portal-integration.txt, "API Reference Summary") ---
        Endpoint(
            "businesses", get, "api/v1/businesses", doc,
            "Businesses (teams) of the account.", ("businesses",),
            needs_secret=False, retry_safe=True,
        ),
        Endpoint(
            "point_types", get, "api/v1/crm/points", doc,
            "Point types (loyalty currencies).", ("point_types",), retry_safe=True,
        ),
        Endpoint(
            "point_type_create", post, "api/v1/crm/points", doc,
            "Create a point type.", ("create_point_type",),
        ),
        Endpoint(
            "point_tiers", get, "api/v1/crm/point_tiers/{point_uid}", doc,
            "Tiers of a point type.", ("tiers",), retry_safe=True,
        ),
        Endpoint(
            "point_tier_save", post, "api/v1/crm/point_tiers/{point_uid}", doc,
            "Create a tier, or update it when point_tier_uid is sent.", ("save_tier",),
        ),
        Endpoint(
            "fan_point_tier", get, "api/v1/crm/fans/{fan_id}/point_tier", doc,
            "A fan's current tier for a point name.", ("fan_tier",), retry_safe=True,
            notes="Answer shape undocumented: a tier object, {tier: ...}, or empty.",
        ),
        Endpoint(
            "quests", get, "api/v1/ent/businesses/{business_id}/quests", doc,
            "Quests of a business.", ("quests",), retry_safe=True,
        ),
        Endpoint(
            "quest_create", post, "api/v1/ent/businesses/{business_id}/quests", doc,
            "Create a quest.", ("create_quest",),
        ),
        Endpoint(
            "quest_delete", delete, "api/v1/ent/businesses/{business_id}/quests/{page_tab_id}",
            doc, "Delete a quest.", ("delete_quest",),
        ),
        Endpoint(
            "rewards", get, "api/v1/ent/businesses/{business_id}/rewards", doc,
            "Rewards of a business.", ("rewards",), retry_safe=True,
        ),
        Endpoint(
            "reward_create", post, "api/v1/ent/businesses/{business_id}/rewards", doc,
            "Create a reward.", ("create_reward",),
        ),
        Endpoint(
            "reward_delete", delete,
            "api/v1/ent/businesses/{business_id}/rewards/{reward_uid}", doc,
            "Delete a reward.", ("delete_reward",),
        ),
        Endpoint(
            "fan_rewards", get, "api/v1/ent/businesses/{business_id}/fans/{fan_id}/rewards", doc,
            "Rewards a fan holds.", ("fan_rewards",), retry_safe=True,
        ),
        Endpoint(
            "fan_reward_assign", post,
            "api/v1/ent/businesses/{business_id}/fans/{fan_id}/rewards", doc,
            "Assign a reward to a fan by hand.", ("assign_reward",),
        ),
        Endpoint(
            "quest_completions", get,
            "api/v1/ent/businesses/{business_id}/quests/fans/{fan_id}/complete", doc,
            "A fan's completions: {page_tab_id: true/false}.", ("completions",),
            retry_safe=True,
        ),
        Endpoint(
            "quest_complete", post,
            "api/v1/ent/businesses/{business_id}/quests/{page_tab_id}/fans/{fan_id}/complete",
            doc, "Complete a quest for a fan; awards its points and records the activity.",
            ("complete_quest",), retry_safe=True,
            notes="Documented idempotent (a repeat returns the existing activity_id), "
            "so retried.",
        ),
        Endpoint(
            "reward_updates", get, "api/v1/ent/reward_updates", doc,
            "Reward deliveries since a date.", ("reward_updates",), retry_safe=True,
        ),
        Endpoint(
            "media", get, "fb_media/{media_uid}", doc,
            "A media asset (image); width and height resize it.", ("media_url",),
            needs_secret=False, sends_request=False,
        ),
        # --- CRM calls (api-reference.txt, "Crm Calls") ---
        Endpoint(
            "crm_fan_points", get, "api/v1/crm/fans/{fan_id}/points", inf,
            "A fan's point balances.", ("fan_points",), retry_safe=True,
        ),
        Endpoint(
            "crm_fan_points_award", post, "api/v1/crm/fan_points", inf,
            "Award (or remove) points; award_key de-duplicates.", ("award_fan_points",),
        ),
        Endpoint(
            "crm_fan_points_ledger", get, "api/v1/crm/fan_points", inf,
            "Point transactions between two dates.", ("fan_points_ledger",), retry_safe=True,
        ),
        Endpoint(
            "crm_leaderboard", get, "api/v1/crm/leaderboard", inf,
            "Fans ranked by points of one point name.", ("leaderboard",), retry_safe=True,
        ),
        Endpoint(
            "crm_display_name", get, "api/v1/crm/display_name", inf,
            "Check a display name; answers a usable (possibly modified) name.",
            ("display_name_check",), retry_safe=True,
        ),
        Endpoint(
            "crm_fan", get, "api/v1/crm/fans/{fan_id}", inf,
            "A fan record (with tags).", ("fan",), retry_safe=True,
        ),
        Endpoint(
            "crm_fan_activities", get, "api/v1/crm/fans/{fan_id}/activities", inf,
            "A fan's activities.", ("fan_activities",), retry_safe=True,
        ),
        Endpoint(
            "crm_fan_activity_create", post, "api/v1/crm/fans/{fan_id}/activities", inf,
            "Record an activity for a fan.", ("create_fan_activity",),
        ),
        Endpoint(
            "crm_fan_registrations", get, "api/v1/crm/fans/{fan_id}/registrations", inf,
            "A fan's wristband/ticket registrations.", ("fan_registrations",),
            retry_safe=True,
        ),
        Endpoint(
            "crm_fan_registration_create", post, "api/v1/crm/fans/{fan_id}/registrations", inf,
            "Register a wristband/ticket for a fan.", ("create_fan_registration",),
            notes="Reading: `email *` is read as email or phone, the fan record's own rule "
            '("Either Email or Phone is required"): a phone-only fan sends the phone and '
            "no email, never an empty one; the strict reading would refuse every such fan.",
        ),
        Endpoint(
            "performances", get, "api/v1/performances", inf,
            "All performances (events) of the account.", ("performances",), retry_safe=True,
        ),
    )
    # fmt: on


ENDPOINTS: Mapping[str, Endpoint] = MappingProxyType({row.name: row for row in _rows()})


def endpoint(name: str) -> Endpoint:
    """The row called ``name``; a KeyError here is a bug in the client, not in the API."""
    return ENDPOINTS[name]


_PREAMBLE = """\
# Tradable Bits endpoints covered by `tbits_client`

<!-- Generated by `python -m tbits_client > docs/endpoints.md` from
     tbits_client/endpoints.py. Do not edit by hand: tests/tbits_client/test_endpoints.py
     fails when this file is stale. -->

Every call the portal makes to the Tradable Bits API goes through `tbits_client`, and every
path below lives in one table (`tbits_client/endpoints.py`). **documented** paths appear
verbatim in the provider's documentation; **inferred** paths are described there without a
path, so the path is our reading and can be corrected in that one table.

Where the code is: each call is a method of one API-area service in
`tbits_client/services/` (`account`, `connect`, `sessions`, `content`, `points`, `quests`,
`rewards`, `fans`), and `TbitsClient` is all of them at once. Every call is sent by one
requestor (`tbits_client/requestor.py`), which alone does the headers, retries, cooldown,
circuit breaker, error mapping and logging described below. Answers are parsed by the
models of `tbits_client/models/` (one module per area).

Wire conventions the client follows:

- Paths are relative to the base URL (production `https://nest.tradablebits.com/`; the
  sandbox `http://127.0.0.1:8000/sandbox/`). http is refused except for loopback hosts.
- The key travels in the `Api-Key` header and the secret in `Api-Secret`, never in a URL
  or a body. The secret is sent only on the calls marked *secret* below: the server-side
  CRM/ent calls and the OAuth code exchange. Sessions/Connect, status, idols, businesses
  and the `sessions/{session_uid}` calls send the key only.
- Bodies are `application/x-www-form-urlencoded`; GET parameters go in the query string.
  The list parameters the reference names with brackets (`required_page_tab_ids[]`,
  `scan_group_names[]`) are sent once per item under that name
  (`required_page_tab_ids[]=12&required_page_tab_ids[]=13`); `prize_codes`, documented as a
  "comma or newline-separated list", is one comma-separated value. Booleans are sent as
  `true`/`false`, except `is_accepted`, which is sent as `1` when the fan accepted the terms.
  Dates are ISO 8601 (`2026-01-31`, `2026-12-31T23:59:59`).
- Redirects are never followed and TLS is always verified. Timeouts always apply (connect
  3 s, read 10 s by default).
- *retried* calls are repeated on a timeout, a connection failure or a 5xx, with
  exponential backoff and jitter, bounded in count and total time. Other calls are never
  repeated. A 429 is never waited out: it raises `RateLimited` with `retry_after`, and a
  cooldown (shared between processes when a cache is passed) makes later calls to that
  endpoint fail fast until it passes. For `sessions_connect` the cooldown is per fan IP
  address (`ip_address`), because the provider throttles look-ups per fan.
- The optional circuit breaker counts 5xx and transport failures per endpoint; once open,
  calls raise `CircuitOpen` without a request until one half-open probe succeeds.
- *session* calls carry a fan's session id in the path: a 401 there raises
  `SessionExpired`. Session ids never appear in the client's log lines or errors.
- *URL only* rows are pages the browser opens; the client just builds the URL.

"""


# Where the reference can be read two ways, the reading chosen is the one that cannot lose
# data; each is one line here, so the generated page says it.
_READINGS = """\
## Readings of the reference

- List parameters: the loyalty guide types `required_page_tab_ids` and `scan_group_names` as
  lists, the API reference names them `required_page_tab_ids[]` and `scan_group_names[]`.
  The client sends the bracketed form, one pair per item; the sandbox reads only that form
  and answers 400 to the bare name (a comma-joined `1,2` read as one value would drop a
  restriction or create a wrong scan group without a word).
- Automatic rewards count only activities associated with the business
  (loyalty-portal-integration.txt: "only considers fans who have at least one activity
  record associated with the business"), so the portal's visit activity sends `business_id`
  and the sandbox ignores activities without one for automatic delivery.
- `reward_limit` with `winner_selection_model=all`: the guide says both "all (unlimited)" and
  "Max recipients". A limit that is given is honoured, so no reward goes beyond the stock
  the operator set.
- `is_limited=false` on a prize-code reward: its codes are handed out again, each code once
  before any repeats, rather than a fan being told the pool is empty.
- First-N rewards (`winner_selection_model=first`): the places go to the fans who met the
  requirement first, not to the lowest fan ids.
- A performance's timeframe: quests and rewards tied to one "only appear during that event's
  timeframe" (loyalty-portal-integration.txt), yet the documented performance fields give only
  `performance_date`, a day without a zone or times. The sandbox delivers a performance's
  rewards, automatically or by hand, on that day as wide as any zone makes it (00:00 UTC+14
  to 24:00 UTC-12), so no fan at the event is refused for the event's zone. The portal shows
  the event's day in `EVENT_TIMEZONE` (or the `start_timestamp`/`end_timestamp` extras when
  the API sends them), which always lies inside the sandbox's window: it promises a reward
  "during" the event and never outside it, and a quest whose own dates miss that window is
  shown as not available rather than "Opens ...".
- A business's point type: no documented answer names it (it is "assigned" in the admin UI,
  Setup Process, Step 2). The portal takes `TBITS['POINT_TYPE']`, else the business's
  `point_uid` when answered, else the account's only point type, else the one `point_uid`
  the business's quests agree on ("Get quests for a performance" prints it); otherwise it
  chooses none rather than the first, and `tbits_check` asks for the setting.
- A fan's tier: "A fan's current tier is the highest tier whose minimum points they have
  reached" (Point Tiers). The portal applies that rule to the balance and the tiers list;
  the fan point-tier call, whose answer the guide does not print, is not needed for it.
- A fan's rewards (`fan_rewards`): the guide prints no field of the answer. It is read as the
  rewards the fan holds, each with the fields of a reward; the pass and prize codes, when an
  API sends them, are listed under "Fields used when present".
- The fan record: the documented one has no email, display name or SMS preference. The
  profile form sends only the fields the fan changed, so a value the page could not show is
  never overwritten with a blank; a wristband registration takes the email or phone the
  fan proved at login.
- Idol event search dates (`start_date`, `end_date`) are days without a zone: an event is
  found when it touches the days asked in some zone.
- `link_url` quests: the guide's creation table says "Destination URL for link_url quests
  (tracker auto-generated)", but no documented quest answer carries the tracked URL ("Get
  quests for a performance" prints `link_url` and no tracker field). The portal therefore
  keeps sending fans to the quest's `link_url` through its own visit view, which records the
  completion first and then redirects; it needs no tracker and reads none. The sandbox does
  what the docs say the provider does: a `link_url` quest, however it is written, gets a
  tracker with the fields of "Create New Tracker" (`tracker_id`, `virtual_domain`,
  `tracker_key`, `target_url` = `link_url`, `page_tab_id`), served at
  `/sandbox/t/<tracker_key>`, which records a click as a tracker event ("Get associated with
  account tracker events") and redirects to `link_url`. The event's `fan_id` stays empty: no
  documented parameter of a tracked URL names the fan, and one read from the URL could be
  forged by anyone who edits it. Editing the quest's `link_url` moves the tracker's target;
  deleting the quest deactivates the tracker (its URL answers 410) and keeps its clicks.
  Developers see the trackers and their clicks at `/sandbox/trackers/`.
"""


def render_markdown() -> str:
    """The project's endpoint documentation, generated from the table so it cannot drift."""
    lines = [
        _PREAMBLE,
        "| name | method | path | provenance | secret | retried | session | client methods |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in ENDPOINTS.values():
        methods = ", ".join(f"`{name}()`" for name in row.client_methods)
        lines.append(
            f"| `{row.name}` | {row.method} | `/{row.path}` | {row.provenance} "
            f"| {'yes' if row.needs_secret else 'no'} "
            f"| {'yes' if row.retry_safe else 'no'} "
            f"| {'yes' if row.session_bound else 'no'} | {methods} |"
        )
    lines.append("")
    lines.append("## Notes per endpoint")
    lines.append("")
    for row in ENDPOINTS.values():
        kind = "" if row.sends_request else " (URL only)"
        note = f" {row.notes}" if row.notes else ""
        lines.append(f"- `{row.name}`{kind}: {row.summary}{note}")
    lines.append("")
    lines.append(render_optional_fields())
    lines.append(_READINGS)
    return "\n".join(lines)
