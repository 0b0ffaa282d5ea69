"""Construction is keyword-only and validated; the package stands without Django."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import responses

from tbits_client import CircuitBreaker, ConfigurationError, TbitsClient

from .conftest import BASE_URL, build_client

PACKAGE = Path(__file__).resolve().parents[2] / "tbits_client"


def test_construction_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        TbitsClient("https://api.test", "key")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_key": ""}, "api_key is required"),
        ({"api_key": "   "}, "api_key is required"),
        ({"api_key": None}, "api_key is required"),
        ({"base_url": ""}, "base_url is required"),
        ({"base_url": "nest.tradablebits.com"}, "absolute http"),
        ({"base_url": "ftp://nest.tradablebits.com"}, "absolute http"),
        ({"base_url": "http://nest.tradablebits.com"}, "must use https"),
        ({"base_url": "http://10.0.0.5:8000/sandbox/"}, "must use https"),
        ({"base_url": "http://127.0.0.1.evil.test/"}, "must use https"),
        ({"base_url": "https://user:pw@nest.tradablebits.com"}, "must not carry credentials"),
        ({"base_url": "https://nest.tradablebits.com/?api_key=x"}, "query string"),
        ({"api_secret": ""}, "api_secret"),
        ({"timeout": 0}, "positive"),
        ({"timeout": (3, -1)}, "positive"),
        ({"timeout": (3, float("inf"))}, "positive"),
        ({"timeout": None}, "timeout must be"),
        ({"timeout": (1, 2, 3)}, "timeout must be"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 11}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"retry_budget_seconds": -1}, "retry_budget_seconds"),
        ({"circuit_breaker": True}, "circuit_breaker"),
        ({"cooldown_cache": object()}, "cooldown_cache"),
        ({"pool_maxsize": 0}, "pool_maxsize"),
    ],
)
def test_invalid_configuration_is_refused_clearly(options: dict[str, Any], message: str) -> None:
    settings: dict[str, Any] = {"base_url": "https://nest.tradablebits.com", "api_key": "k"}
    settings.update(options)
    with pytest.raises(ConfigurationError, match=message):
        TbitsClient(**settings)


@pytest.mark.parametrize(
    ("base_url", "normalised"),
    [
        ("https://nest.tradablebits.com", "https://nest.tradablebits.com/"),
        ("https://nest.tradablebits.com/", "https://nest.tradablebits.com/"),
        ("http://127.0.0.1:8000/sandbox", "http://127.0.0.1:8000/sandbox/"),
        ("http://127.0.0.1:8000/sandbox//", "http://127.0.0.1:8000/sandbox/"),
        ("http://localhost:8000/sandbox/", "http://localhost:8000/sandbox/"),
        ("http://[::1]:8000/", "http://[::1]:8000/"),
        ("http://127.8.9.10/", "http://127.8.9.10/"),
    ],
)
def test_base_url_is_normalised_and_http_allowed_for_loopback(
    base_url: str, normalised: str
) -> None:
    assert TbitsClient(base_url=base_url, api_key="k").base_url == normalised


def test_timeout_may_be_one_number() -> None:
    assert TbitsClient(base_url=BASE_URL, api_key="k", timeout=5).timeout == (5.0, 5.0)


def test_accepts_a_breaker_and_any_cache_like_object() -> None:
    class DictCache:
        def __init__(self) -> None:
            self.data: dict[str, Any] = {}

        def get(self, key: str, default: Any = None) -> Any:
            return self.data.get(key, default)

        def set(self, key: str, value: Any, timeout: float | None = None) -> None:
            self.data[key] = value

        def add(self, key: str, value: Any, timeout: float | None = None) -> bool:
            return self.data.setdefault(key, value) is value

        def incr(self, key: str, delta: int = 1) -> int:
            self.data[key] += delta
            return self.data[key]

        def delete(self, key: str) -> None:
            self.data.pop(key, None)

    client = TbitsClient(
        base_url=BASE_URL,
        api_key="k",
        cooldown_cache=DictCache(),
        circuit_breaker=CircuitBreaker(cache=DictCache()),
    )
    assert client.circuit_breaker is not None


def test_server_side_call_without_a_secret_fails_before_any_http(
    mocked: responses.RequestsMock,
) -> None:
    client = build_client(api_secret=None)
    assert client.has_secret is False
    with pytest.raises(ConfigurationError, match="quests needs api_secret"):
        client.quests(2002)
    # Fan-facing calls work without it.
    mocked.post(BASE_URL + "api/v1/sessions/connect", json={"status": "register"})
    client.connect_lookup(business_id=1, email="a@b.c")
    assert len(mocked.calls) == 1


def test_context_manager_closes() -> None:
    with TbitsClient(base_url=BASE_URL, api_key="k") as client:
        client.run_concurrently({"a": lambda: 1, "b": lambda: 2})
        assert client._executor is not None
    assert client._executor is None


def test_import_works_without_django() -> None:
    script = textwrap.dedent(
        """
        import importlib.abc, sys

        class NoDjango(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name == "django" or name.startswith("django."):
                    raise ModuleNotFoundError("No module named 'django' (blocked)")
                return None

        sys.meta_path.insert(0, NoDjango())
        import tbits_client
        client = tbits_client.TbitsClient(base_url="http://127.0.0.1:1/", api_key="k")
        assert "| `/api/v1/status` |" in tbits_client.render_markdown()
        assert not [m for m in sys.modules if m == "django" or m.startswith("django.")]
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
