"""Reading deploy/: the Kubernetes manifests and the compose file, and what is wrong with them.

Kept apart from the tests so that each check can also be run on a manifest a test broke on
purpose: a check that cannot fail proves nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from kubernetes_validate import utils as kubernetes_validate

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
COMPOSE = DEPLOY / "compose.yaml"

#: Clusters the manifests must suit: the oldest Kubernetes release still widely run by
#: managed services, and the newest the validator ships schemas for.
OLDEST_KUBERNETES = "1.31.0"


def newest_kubernetes() -> str:
    """The newest Kubernetes version whose schemas the installed validator ships."""
    return kubernetes_validate.latest_version()


def manifest_files() -> list[Path]:
    return sorted(KUBERNETES.glob("*.yaml"))


def load_resources(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document of a manifest file."""
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def all_resources() -> dict[tuple[str, str], dict[str, Any]]:
    """Every resource of deploy/kubernetes by (kind, name)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in manifest_files():
        for resource in load_resources(path):
            found[(resource["kind"], resource["metadata"]["name"])] = resource
    return found


def schema_problem(resource: dict[str, Any], version: str) -> str | None:
    """Why ``resource`` is not valid Kubernetes at ``version`` (strict: no unknown field),
    or None. A kind or apiVersion the schemas do not know is a problem, not a pass."""
    try:
        kubernetes_validate.validate(resource, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(item) for item in error.path)
        return f"{resource.get('kind')}/{where}: {error.message}"
    except kubernetes_validate.SchemaNotFoundError as error:
        return error.message
    return None


def env_names(path: Path) -> set[str]:
    """The variable names .env.example lists (the ones settings.py and the image read)."""
    return set(re.findall(r"^([A-Z][A-Z0-9_]+)=", path.read_text(), flags=re.MULTILINE))


def load_compose(path: Path = COMPOSE) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict), f"{path} is not a YAML mapping"
    return document


def _dependencies(service: dict[str, Any]) -> list[str]:
    depends = service.get("depends_on") or []
    return list(depends) if isinstance(depends, dict | list) else []


def compose_problems(document: dict[str, Any]) -> list[str]:
    """What in a compose file points at a service or volume it does not define."""
    problems: list[str] = []
    services = document.get("services")
    if not isinstance(services, dict) or not services:
        return ["no services"]
    volumes = set(document.get("volumes") or {})
    for name, service in services.items():
        if not isinstance(service, dict):
            problems.append(f"{name}: not a mapping")
            continue
        if not service.get("image") and not service.get("build"):
            problems.append(f"{name}: neither image nor build")
        for other in _dependencies(service):
            if other not in services:
                problems.append(f"{name}: depends on undefined service {other!r}")
        for link in service.get("links") or []:
            if str(link).split(":")[0] not in services:
                problems.append(f"{name}: links to undefined service {link!r}")
        for mount in service.get("volumes") or []:
            source = str(mount).split(":")[0] if isinstance(mount, str) else mount.get("source")
            is_path = str(source).startswith((".", "/", "~", "$"))
            if source and not is_path and source not in volumes:
                problems.append(f"{name}: mounts undefined volume {source!r}")
        service_mode = str(service.get("network_mode", ""))
        if service_mode.startswith("service:") and service_mode[8:] not in services:
            problems.append(f"{name}: network_mode of undefined service {service_mode[8:]!r}")
    return problems
