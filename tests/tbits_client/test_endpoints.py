"""The endpoint table against the provider's inventory, and the generated docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tbits_client import ENDPOINTS, HttpMethod, Provenance, render_markdown

REPO = Path(__file__).resolve().parents[2]

# The inventory of the provider's docs (shared/reference/ENDPOINTS.md), copied here as the
# test's oracle so the project does not depend on files outside its repository.
INVENTORY = {
    ("POST", "/api/v1/status", "documented"),
    ("GET", "/crm/oauth", "documented"),
    ("GET", "/crm/access_token", "documented"),
    ("POST", "/api/v1/sessions/connect", "documented"),
    ("GET", "/api/v1/sessions/{session_uid}", "documented"),
    ("GET", "/api/v1/sessions/{session_uid}/fan", "documented"),
    ("POST", "/api/v1/sessions/{session_uid}/fan", "documented"),
    ("GET", "/api/v1/sessions/{session_uid}/points", "inferred"),
    ("GET", "/api/v1/idols", "documented"),
    ("GET", "/api/v1/idols/events", "documented"),
    # "Obtain an idol for a given idol_uid" (api-reference.txt, Idols): no path printed.
    ("GET", "/api/v1/idols/{idol_uid}", "inferred"),
    ("GET", "/api/v1/sessions/{session_uid}/idols", "documented"),
    ("POST", "/api/v1/sessions/{session_uid}/idols", "documented"),
    ("GET", "/api/v1/businesses", "documented"),
    ("GET", "/api/v1/crm/points", "documented"),
    ("POST", "/api/v1/crm/points", "documented"),
    ("GET", "/api/v1/crm/point_tiers/{point_uid}", "documented"),
    ("POST", "/api/v1/crm/point_tiers/{point_uid}", "documented"),
    ("GET", "/api/v1/crm/fans/{fan_id}/point_tier", "documented"),
    ("GET", "/api/v1/ent/businesses/{business_id}/quests", "documented"),
    ("POST", "/api/v1/ent/businesses/{business_id}/quests", "documented"),
    ("DELETE", "/api/v1/ent/businesses/{business_id}/quests/{page_tab_id}", "documented"),
    ("GET", "/api/v1/ent/businesses/{business_id}/rewards", "documented"),
    ("POST", "/api/v1/ent/businesses/{business_id}/rewards", "documented"),
    ("DELETE", "/api/v1/ent/businesses/{business_id}/rewards/{reward_uid}", "documented"),
    ("GET", "/api/v1/ent/businesses/{business_id}/fans/{fan_id}/rewards", "documented"),
    ("POST", "/api/v1/ent/businesses/{business_id}/fans/{fan_id}/rewards", "documented"),
    ("GET", "/api/v1/ent/businesses/{business_id}/quests/fans/{fan_id}/complete", "documented"),
    (
        "POST",
        "/api/v1/ent/businesses/{business_id}/quests/{page_tab_id}/fans/{fan_id}/complete",
        "documented",
    ),
    ("GET", "/api/v1/ent/reward_updates", "documented"),
    ("GET", "/fb_media/{media_uid}", "documented"),
    ("GET", "/api/v1/crm/fans/{fan_id}/points", "inferred"),
    ("POST", "/api/v1/crm/fan_points", "inferred"),
    ("GET", "/api/v1/crm/fan_points", "inferred"),
    ("GET", "/api/v1/crm/leaderboard", "inferred"),
    ("GET", "/api/v1/crm/display_name", "inferred"),
    ("GET", "/api/v1/crm/fans/{fan_id}", "inferred"),
    ("GET", "/api/v1/crm/fans/{fan_id}/activities", "inferred"),
    ("POST", "/api/v1/crm/fans/{fan_id}/activities", "inferred"),
    ("GET", "/api/v1/crm/fans/{fan_id}/registrations", "inferred"),
    ("POST", "/api/v1/crm/fans/{fan_id}/registrations", "inferred"),
    ("GET", "/api/v1/performances", "inferred"),
}


def test_table_covers_exactly_the_inventory_with_the_same_provenance() -> None:
    table = {(str(r.method), "/" + r.path, str(r.provenance)) for r in ENDPOINTS.values()}
    assert table == INVENTORY


def test_one_row_per_method_and_path() -> None:
    pairs = [(row.method, row.path) for row in ENDPOINTS.values()]
    assert len(pairs) == len(set(pairs))


def test_session_rows_are_exactly_the_session_paths() -> None:
    for row in ENDPOINTS.values():
        assert row.session_bound is ("{session_uid}" in row.path), row.name


def test_secret_goes_only_to_server_side_calls() -> None:
    for row in ENDPOINTS.values():
        server_side = row.path.startswith(("api/v1/crm/", "api/v1/ent/", "crm/access_token"))
        if row.name == "performances":
            server_side = True  # a misc call; the reference says the read needs the secret
        assert row.needs_secret is server_side, row.name


def test_only_reads_and_the_idempotent_completion_are_retried() -> None:
    retried = {row.name for row in ENDPOINTS.values() if row.retry_safe}
    for name in retried:
        row = ENDPOINTS[name]
        assert row.method is HttpMethod.GET or name in {"quest_complete", "status"}, name
    never = {
        "sessions_connect",
        "oauth_access_token",
        "crm_fan_points_award",
        "session_fan_update",
        "quest_create",
        "reward_create",
        "fan_reward_assign",
    }
    assert not never & retried
    assert "quest_complete" in retried


def test_path_params_are_read_from_the_template() -> None:
    assert ENDPOINTS["quest_complete"].path_params == ("business_id", "page_tab_id", "fan_id")
    assert ENDPOINTS["businesses"].path_params == ()


def test_docs_list_every_endpoint_and_are_not_stale() -> None:
    committed = (REPO / "docs" / "endpoints.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), (
        "docs/endpoints.md is stale: run `python -m tbits_client > docs/endpoints.md`"
    )
    for row in ENDPOINTS.values():
        assert f"| `/{row.path}` | {row.provenance} |" in committed
        for method in row.client_methods:
            assert f"`{method}()`" in committed
    assert committed.count(str(Provenance.INFERRED)) >= 12


def test_docs_generator_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tbits_client"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    assert result.stdout == render_markdown()
    assert result.stderr == ""


def test_every_client_method_named_in_the_table_exists() -> None:
    from tbits_client import TbitsClient

    for row in ENDPOINTS.values():
        for method in row.client_methods:
            assert callable(getattr(TbitsClient, method, None)), (row.name, method)
