"""deploy/: the Kubernetes manifests validate against the Kubernetes schemas (offline, with
kubernetes-validate's bundled schemas), say what docs/deployment.md promises, and the
compose file parses and references only what it defines."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from tests.deploy.manifests import (
    COMPOSE,
    DEPLOY,
    OLDEST_KUBERNETES,
    REPO,
    all_resources,
    compose_problems,
    env_names,
    load_compose,
    load_resources,
    manifest_files,
    newest_kubernetes,
    schema_problem,
)

#: Variables the manifests set that settings.py does not read, and why.
NOT_SETTINGS = {"HOME"}  # the read-only root filesystem: $HOME points at the /tmp volume
WEB = ("Deployment", "tbits-portal")
EXPECTED = {
    ("ConfigMap", "tbits-portal-config"),
    ("Secret", "tbits-portal-secrets"),
    WEB,
    ("Service", "tbits-portal"),
    ("HorizontalPodAutoscaler", "tbits-portal"),
    ("PodDisruptionBudget", "tbits-portal"),
    ("CronJob", "tbits-portal-poll-rewards"),
    ("Job", "tbits-portal-migrate"),
}


def test_the_validator_ships_schemas_for_a_recent_kubernetes() -> None:
    assert Version(newest_kubernetes()) >= Version("1.33"), newest_kubernetes()


def test_deploy_has_every_resource_the_docs_describe() -> None:
    assert set(all_resources()) == EXPECTED


@pytest.mark.parametrize("version", [OLDEST_KUBERNETES, "newest"])
@pytest.mark.parametrize("path", manifest_files(), ids=lambda path: path.name)
def test_manifest_validates_against_the_kubernetes_schemas(path: Path, version: str) -> None:
    version = newest_kubernetes() if version == "newest" else version
    resources = load_resources(path)
    assert resources, f"{path.name} holds no resource"
    for resource in resources:
        assert schema_problem(resource, version) is None


def _broken_deployment(change: str) -> dict[str, Any]:
    deployment = copy.deepcopy(all_resources()[WEB])
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    if change == "misspelt field":
        container["livenessProb"] = container.pop("livenessProbe")
    elif change == "wrong type":
        deployment["spec"]["replicas"] = "two"
    elif change == "missing required field":
        del container["name"]
    elif change == "unknown apiVersion":
        deployment["apiVersion"] = "apps/v9"
    elif change == "bad probe port":
        container["readinessProbe"]["httpGet"]["port"] = {"number": 8000}
    return deployment


@pytest.mark.parametrize(
    "change",
    [
        "misspelt field",
        "wrong type",
        "missing required field",
        "unknown apiVersion",
        "bad probe port",
    ],
)
def test_a_broken_manifest_fails_validation(change: str) -> None:
    assert schema_problem(_broken_deployment(change), newest_kubernetes()) is not None


def _pod_specs() -> dict[str, dict[str, Any]]:
    resources = all_resources()
    return {
        "web": resources[WEB]["spec"]["template"]["spec"],
        "poller": resources[("CronJob", "tbits-portal-poll-rewards")]["spec"]["jobTemplate"][
            "spec"
        ]["template"]["spec"],
        "migrate": resources[("Job", "tbits-portal-migrate")]["spec"]["template"]["spec"],
    }


@pytest.mark.parametrize("which", ["web", "poller", "migrate"])
def test_every_pod_runs_non_root_on_a_read_only_root_with_a_tmpfs(which: str) -> None:
    pod = _pod_specs()[which]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["runAsNonRoot"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    tmp = next(m for m in container["volumeMounts"] if m["mountPath"] == "/tmp")
    volume = next(v for v in pod["volumes"] if v["name"] == tmp["name"])
    assert volume["emptyDir"]["medium"] == "Memory"
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    assert {"name": "HOME", "value": "/tmp"} in container["env"]
    sources = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
    assert sources == {"tbits-portal-config", "tbits-portal-secrets"}


def test_web_probes_are_liveness_healthz_and_readiness_readyz_with_an_allowed_host() -> None:
    (container,) = _pod_specs()["web"]["containers"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    readiness = container["readinessProbe"]["httpGet"]
    assert readiness["path"] == "/readyz"
    # /readyz validates the Host header: the probe must send one the pods accept.
    config = all_resources()[("ConfigMap", "tbits-portal-config")]["data"]
    host = {h["name"]: h["value"] for h in readiness["httpHeaders"]}["Host"]
    assert host in config["ALLOWED_HOSTS"].split(",")
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert readiness["port"] in ports and ports["http"] == 8000


def test_service_hpa_and_budget_all_point_at_the_web_pods() -> None:
    resources = all_resources()
    labels = resources[WEB]["spec"]["template"]["metadata"]["labels"]
    assert resources[WEB]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert resources[("Service", "tbits-portal")]["spec"]["selector"].items() <= labels.items()
    budget = resources[("PodDisruptionBudget", "tbits-portal")]["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    hpa = resources[("HorizontalPodAutoscaler", "tbits-portal")]
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == WEB
    # Two pods at least, so the budget's one eviction at a time leaves one serving.
    assert hpa["spec"]["minReplicas"] >= 2 and budget["maxUnavailable"] == 1
    strategy = resources[WEB]["spec"]["strategy"]["rollingUpdate"]
    assert strategy["maxUnavailable"] == 0


def test_poller_is_a_cronjob_that_forbids_overlap_and_migrations_a_job() -> None:
    resources = all_resources()
    cron = resources[("CronJob", "tbits-portal-poll-rewards")]["spec"]
    assert cron["concurrencyPolicy"] == "Forbid"
    (poll,) = _pod_specs()["poller"]["containers"]
    assert poll["command"] == ["python", "manage.py", "tbits_poll_rewards"]
    (migrate,) = _pod_specs()["migrate"]["containers"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    # One image for all three: migrations and the poller run the release's own code.
    images = {spec["containers"][0]["image"] for spec in _pod_specs().values()}
    assert len(images) == 1


def _compose_environment() -> dict[str, str]:
    services = load_compose()["services"]
    return {k: str(v) for k, v in services["portal"]["environment"].items()}


def test_manifests_and_compose_set_only_variables_the_settings_read() -> None:
    known = env_names(REPO / ".env.example") | NOT_SETTINGS
    resources = all_resources()
    names = set(resources[("ConfigMap", "tbits-portal-config")]["data"])
    names |= set(resources[("Secret", "tbits-portal-secrets")]["stringData"])
    names |= set(_compose_environment())
    assert names - known == set(), "not read by tbits_portal/settings.py (.env.example)"
    # What a production pod cannot start without.
    secret = set(resources[("Secret", "tbits-portal-secrets")]["stringData"])
    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "TBITS_API_SECRET"} <= secret


def test_secret_example_holds_placeholders_only() -> None:
    secret = all_resources()[("Secret", "tbits-portal-secrets")]
    assert "data" not in secret  # base64 would hide what the values are
    for name, value in secret["stringData"].items():
        assert "CHANGE-ME" in value, name


def test_compose_defines_the_stack_and_references_only_its_own_services() -> None:
    compose = load_compose()
    services = compose["services"]
    assert {"portal", "poller", "migrate", "postgres", "redis"} <= set(services)
    assert compose_problems(compose) == []
    assert services["portal"]["deploy"]["replicas"] == 2
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "tbits_poll_rewards" in " ".join(services["poller"]["command"])
    # The web containers start only after the one-shot migration succeeded.
    assert services["portal"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    assert services["portal"]["read_only"] is True and "/tmp" in services["portal"]["tmpfs"]
    env = _compose_environment()
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
    assert env["CACHE_URL"].startswith("redis://redis:")


def test_compose_balancer_sends_traffic_to_the_portal_service() -> None:
    config = (DEPLOY / "haproxy.cfg").read_text()
    (target,) = re.findall(r"^\s*server-template \S+ \d+ (\S+):8000", config, flags=re.M)
    assert target in load_compose()["services"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c["services"]["portal"]["depends_on"].update({"pgbouncer": {}}), "pgbouncer"),
        (lambda c: c["services"]["postgres"].update({"volumes": ["pgdata:/data"]}), "pgdata"),
        (lambda c: c["services"]["redis"].pop("image"), "neither image"),
        (lambda c: c.pop("services"), "no services"),
    ],
    ids=["undefined dependency", "undefined volume", "no image", "no services"],
)
def test_compose_check_catches_a_broken_file(change: Any, problem: str) -> None:
    compose = copy.deepcopy(load_compose())
    change(compose)
    assert any(problem in found for found in compose_problems(compose))


def test_compose_file_is_the_one_docs_describe() -> None:
    text = (REPO / "docs" / "deployment.md").read_text()
    assert str(COMPOSE.relative_to(REPO)) in text
    for path in manifest_files():
        assert path.name in text, f"docs/deployment.md does not mention {path.name}"


def test_every_value_compose_reads_is_in_env_example() -> None:
    # deploy/.env starts as a copy of .env.example: each ${VAR} the compose file reads
    # must be there for the operator to fill.
    read = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text()))
    assert {"SECRET_KEY", "POSTGRES_PASSWORD", "PROBE_HOST"} <= read
    assert read - env_names(REPO / ".env.example") == set()
