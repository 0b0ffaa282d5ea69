"""``tbits_check``'s findings: the settings, then the API, each problem in plain words.

Each finding has a stable ``code`` (tests and scripts match on it) and, when something is
wrong, says what to do. The checks run in the order the portal depends on them; when one
fails, those that depend on it are reported as skipped rather than as more failures, so
the first problem listed is the one to fix first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from loyalty.point_type import PointTypeChoice, PointTypeSource, choose_point_type
from loyalty.programme.connection import ConfiguredCredentials
from loyalty.programme.findings import Finding, Verdict
from loyalty.programme.quest_findings import campaign_address_findings, never_opening_findings
from loyalty.selectors.business import event_timezone
from tbits_client import (
    BadRequest,
    Business,
    ConfigurationError,
    InvalidResponse,
    NotFound,
    Performance,
    PointType,
    RateLimited,
    ServerError,
    TbitsClient,
    TbitsError,
    TransportError,
    Unauthorized,
)
from tbits_client.optional_fields import OPTIONAL_FIELDS

__all__ = ["Finding", "Verdict", "describe_api_error", "diagnose"]


def _ok(code: str, message: str) -> Finding:
    return Finding(code, Verdict.OK, message)


def _problem(code: str, message: str, action: str) -> Finding:
    return Finding(code, Verdict.PROBLEM, message, action)


def _skipped(code: str, message: str) -> Finding:
    return Finding(code, Verdict.SKIPPED, message)


_SETTING_HELP = {
    "API_BASE_URL": "the API's address (https://nest.tradablebits.com/ in production)",
    "API_KEY": "the account's API key (Tradable Bits admin UI, account settings)",
    "API_SECRET": "the account's API secret, needed for quests, tiers and rewards",
    "BUSINESS_ID": "the id of the business (team) whose portal this site shows",
}


def describe_api_error(error: TbitsError, *, call: str, base_url: str) -> Finding:
    """A failed call as a finding with what to do; used by tbits_setup for its reads too."""
    if isinstance(error, TransportError):
        return _problem(
            "unreachable",
            f"Cannot reach the API at {base_url} ({call}): {error}.",
            "Check TBITS['API_BASE_URL'] (spelling, https, port), that this machine can "
            "resolve and reach that host (DNS, firewall, outbound proxy), and that the API "
            "is up.",
        )
    if isinstance(error, RateLimited):
        wait = f" for {error.retry_after} s" if error.retry_after else ""
        return _problem(
            "rate-limited",
            f"The API is rate limiting this key ({call}).",
            f"Wait{wait} and run the check again; if it persists, something else is "
            "calling the API with this key very often.",
        )
    if isinstance(error, NotFound):
        return _problem(
            "not-found",
            f"The API answered 404 Not Found for {call} at {base_url}.",
            "TBITS['API_BASE_URL'] probably has a wrong path: it should be the API's root "
            "(https://nest.tradablebits.com/, or .../sandbox/ for the local sandbox).",
        )
    if isinstance(error, InvalidResponse):
        return _problem(
            "not-the-api",
            f"{base_url} answered {call} with something that is not the Tradable Bits "
            f"API ({error}).",
            "TBITS['API_BASE_URL'] probably points at another site or a proxy's page.",
        )
    if isinstance(error, BadRequest):
        return _problem(
            "bad-request",
            f"The API rejected {call}: {error}.",
            "Correct the value the message names (for tbits_setup, in the setup file) and "
            "run the same command again.",
        )
    if isinstance(error, ServerError):
        return _problem(
            "api-error",
            f"The API failed on {call} (HTTP {error.http_status}): {error}.",
            "This is on the API's side; try again later, and contact Tradable Bits support "
            "if it lasts.",
        )
    return _problem(
        "api-refused",
        f"The API refused {call} (HTTP {error.http_status}): {error}.",
        "Check the settings above; run manage.py tbits_check for a full diagnosis.",
    )


def _settings_findings(values: ConfiguredCredentials) -> list[Finding]:
    findings = []
    for name, value in (
        ("API_BASE_URL", values.api_base_url),
        ("API_KEY", values.api_key),
        ("API_SECRET", values.api_secret),
        ("BUSINESS_ID", values.business_id),
    ):
        if not value:
            findings.append(
                _problem(
                    f"missing-{name.lower().replace('_', '-')}",
                    f"TBITS['{name}'] is not set.",
                    f"Set it to {_SETTING_HELP[name]}; the demo reads it from the "
                    f"environment variable TBITS_{name}.",
                )
            )
    for name, value in (("BUSINESS_ID", values.business_id), ("ACCOUNT_ID", values.account_id)):
        if value and not value.isdigit():
            findings.append(
                _problem(
                    f"invalid-{name.lower().replace('_', '-')}",
                    f"TBITS['{name}'] is {value!r}, which is not a number.",
                    f"Set it to the numeric {name.lower().replace('_', ' ')} shown in the "
                    "Tradable Bits admin UI.",
                )
            )
    return findings


def _account_of(business: Business) -> str | None:
    # Undocumented but sent by the API and the sandbox; compared only when present.
    value = business.extra.get("account_id")
    return None if value in (None, "") else str(value)


def _point_type_problem(
    choice: PointTypeChoice,
    business: Business,
    point_types: Sequence[PointType],
    *,
    configured: str,
) -> Finding | None:
    """Why no point type is the business's currency, in the order of loyalty.point_type."""
    names = ", ".join(repr(item.point_name) for item in point_types)
    if choice.source is PointTypeSource.NOT_FOUND:
        return _problem(
            "point-type-unknown",
            f"TBITS['POINT_TYPE'] is {configured!r}, which names none of the account's point "
            f"types ({names or 'none'}).",
            "Set it to the point_name (or point_uid) of the point type business "
            f"{business.business_id} uses.",
        )
    if choice.source is PointTypeSource.AMBIGUOUS:
        return _problem(
            "point-type-ambiguous",
            f"The account has {len(point_types)} point types ({names}) and no answer of the "
            f"API says which one business {business.business_id} uses, so fans would have "
            "no balance.",
            "Set TBITS['POINT_TYPE'] to the point_name of the one selected under Business > "
            "Fan Loyalty Portal in the admin UI.",
        )
    if choice.source is PointTypeSource.NONE or (
        business.says_point_type and not business.point_uid and not configured
    ):
        return _problem(
            "no-point-type",
            f"Business {business.business_id} has no point type assigned, so quests "
            "cannot award points and fans have no balance or tier.",
            "Create one (manage.py tbits_setup with a setup file, or CRM > Points in the "
            "admin UI), then assign it in the admin UI under Business > Fan Loyalty Portal.",
        )
    if choice.source is PointTypeSource.BUSINESS and not any(
        item.point_uid == choice.point_uid for item in point_types
    ):
        return _problem(
            "point-type-unknown",
            f"Business {business.business_id} uses point type {choice.point_uid}, which "
            "is not among the account's point types.",
            "Assign an existing point type under Business > Fan Loyalty Portal in the admin UI.",
        )
    return None


_POINT_TYPE_SOURCES = {
    PointTypeSource.SETTING: "named by TBITS['POINT_TYPE']",
    PointTypeSource.BUSINESS: "assigned to the business",
    PointTypeSource.ONLY_ONE: "the account's only point type",
    PointTypeSource.QUESTS: "the one the business's quests name",
}


def _point_type_found(choice: PointTypeChoice) -> str:
    if choice.source is PointTypeSource.BUSINESS:
        return f"Point type {choice.point_name!r} is assigned."
    return f"Point type {choice.point_name!r} ({_POINT_TYPE_SOURCES[choice.source]})."


def diagnose(
    values: ConfiguredCredentials,
    *,
    build_client: Callable[[ConfiguredCredentials], TbitsClient],
) -> list[Finding]:
    """Every finding, in order: settings, API address and key, business, secret, setup."""
    findings = _settings_findings(values)
    blocking = {f.code for f in findings} & {
        "missing-api-base-url",
        "missing-api-key",
    }
    if blocking:
        findings.append(_skipped("api", "API checks skipped: the API address or key is missing."))
        return findings
    try:
        client = build_client(values)
    except ConfigurationError as error:
        findings.append(
            _problem(
                "invalid-settings",
                f"The API client cannot be built from TBITS: {error}.",
                "Fix TBITS['API_BASE_URL'] (an absolute https URL; http only for "
                "localhost) and the timeouts.",
            )
        )
        findings.append(_skipped("api", "API checks skipped: the settings are unusable."))
        return findings
    if not findings:
        findings.append(
            _ok("settings", "Settings: API_BASE_URL, API_KEY, API_SECRET and BUSINESS_ID are set.")
        )
    with client:
        findings.extend(_api_findings(client, values))
    return findings


def _api_findings(client: TbitsClient, values: ConfiguredCredentials) -> list[Finding]:
    base_url = client.base_url
    findings: list[Finding] = []

    try:
        client.status()
    except Unauthorized:
        return [
            _problem(
                "bad-key",
                "The API refused the API key (401 on /api/v1/status).",
                "Copy the API key again from the Tradable Bits admin UI into TBITS['API_KEY'] "
                "(no spaces), and check it belongs to the account at this API_BASE_URL.",
            ),
            _skipped("rest", "Business, point type and tier checks skipped: the key is refused."),
        ]
    except TbitsError as error:
        return [
            describe_api_error(error, call="/api/v1/status", base_url=base_url),
            _skipped(
                "rest", "Business, point type and tier checks skipped: no answer from the API."
            ),
        ]
    findings.append(_ok("reachable", f"The API answers at {base_url} and accepts the API key."))

    try:
        businesses = client.businesses()
    except TbitsError as error:
        findings.append(describe_api_error(error, call="/api/v1/businesses", base_url=base_url))
        return findings
    business = None
    if values.business_id.isdigit():
        business = next((b for b in businesses if b.business_id == int(values.business_id)), None)
    if business is None:
        listed = ", ".join(f"{b.business_id} ({b.business_name})" for b in businesses) or "none"
        # A missing or non-numeric id is already reported with the settings.
        if values.business_id.isdigit():
            findings.append(
                _problem(
                    "business-missing",
                    f"Business {values.business_id} is not in this account. "
                    f"The account's businesses: {listed}.",
                    "Set TBITS['BUSINESS_ID'] to one of those ids, or use the API key of the "
                    "account that owns this business.",
                )
            )
    else:
        findings.append(
            _ok("business", f"Business {business.business_id} ({business.business_name}).")
        )
        account = _account_of(business)
        if values.account_id and account and account != values.account_id:
            findings.append(
                _problem(
                    "account-mismatch",
                    f"TBITS['ACCOUNT_ID'] is {values.account_id}, but the API key belongs to "
                    f"account {account}.",
                    f"Set TBITS['ACCOUNT_ID'] to {account}: the OAuth sign-in sends it.",
                )
            )

    if not values.api_secret:
        findings.append(
            _skipped("secret", "Point type and tier checks skipped: API_SECRET is not set.")
        )
        return findings
    try:
        point_types = client.point_types()
    except Unauthorized:
        findings.append(
            _problem(
                "bad-secret",
                "The API accepted the key but refused the API secret (401 on /api/v1/crm/points).",
                "Copy the API secret again from the Tradable Bits admin UI into "
                "TBITS['API_SECRET'] (the demo reads TBITS_API_SECRET); it must be the "
                "secret of the same account as the key.",
            )
        )
        return findings
    except TbitsError as error:
        findings.append(describe_api_error(error, call="/api/v1/crm/points", base_url=base_url))
        return findings
    findings.append(_ok("secret", "The API accepts the API secret."))
    if business is None:
        findings.append(_skipped("point-type", "Point type and tier checks skipped: no business."))
        return findings

    try:
        quests = client.quests(business.business_id)
    except TbitsError as error:
        call = "/api/v1/ent/businesses/{business_id}/quests"
        findings.append(describe_api_error(error, call=call, base_url=base_url))
        return findings
    choice = choose_point_type(
        configured=values.point_type or None,
        point_types=point_types,
        business=business,
        quests=quests,
    )
    problem = _point_type_problem(choice, business, point_types, configured=values.point_type)
    if problem is not None:
        findings.append(problem)
        return findings
    findings.append(_ok("point-type", _point_type_found(choice)))

    try:
        tiers = client.tiers(str(choice.point_uid))
    except TbitsError as error:
        call = "/api/v1/crm/point_tiers/{point_uid}"
        findings.append(describe_api_error(error, call=call, base_url=base_url))
        return findings
    if not tiers:
        findings.append(
            _problem(
                "no-tiers",
                f"Point type {choice.point_name!r} has no tiers, so fans never reach a tier "
                "and tier rewards and tier-locked quests never open.",
                "Add tiers: list them in a setup file and run manage.py tbits_setup, or use "
                "CRM > Point Tiers in the admin UI.",
            )
        )
        return findings
    ladder = ", ".join(f"{tier.tier_name} {tier.min_points:,}" for tier in tiers)
    findings.append(_ok("tiers", f"{len(tiers)} tiers: {ladder}."))
    try:
        performances = client.performances()
    except TbitsError:
        performances = None  # reported below as fields not seen; the quests need no more
    findings.extend(campaign_address_findings(quests))
    findings.extend(never_opening_findings(quests, performances or [], zone=event_timezone()))
    findings.append(_optional_fields_finding(client, business, performances))
    return findings


def _optional_fields_finding(
    client: TbitsClient, business: Business, performances: Sequence[Performance] | None
) -> Finding:
    """Which undocumented fields of the catalogue calls the API answers (docs/endpoints.md).

    Information, never a problem: the portal works without them. A call that fails here was
    answered before, so it is reported as not seen rather than as an outage.
    """
    answers: dict[str, list[dict[str, Any]]] = {
        "businesses": [business.extra],
        "performances": [item.extra for item in performances or ()],
    }
    try:
        answers["rewards"] = [item.extra for item in client.rewards(business.business_id)]
    except TbitsError:
        answers["rewards"] = []
    seen = [
        f"{item.call}.{item.field}"
        for item in OPTIONAL_FIELDS
        if item.seen_by_check and any(item.field in extra for extra in answers.get(item.call, []))
    ]
    if not seen:
        return _ok(
            "optional-fields",
            "The API answers only documented fields of businesses, rewards and performances; "
            "the portal needs none of the others (docs/endpoints.md, Fields used when present).",
        )
    return _ok(
        "optional-fields",
        f"The API also answers {', '.join(seen)}, which the portal uses "
        "(docs/endpoints.md, Fields used when present).",
    )
