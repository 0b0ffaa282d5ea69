"""Fixtures of the sandbox tests: an in-process caller of the emulated API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client


@dataclass(frozen=True)
class Caller:
    """Calls the sandbox through Django's test client, with the seeded credentials."""

    http: Client
    seed: Any

    def _headers(self, secret: bool) -> dict[str, str]:
        headers = {"HTTP_API_KEY": self.seed.api_key}
        if secret:
            headers["HTTP_API_SECRET"] = self.seed.api_secret
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, *, secret: bool = True) -> Any:
        """GET /sandbox/<path>."""
        return self.http.get(f"/sandbox/{path}", params or {}, **self._headers(secret))

    def post(self, path: str, data: dict[str, Any] | None = None, *, secret: bool = True) -> Any:
        """POST a form to /sandbox/<path>."""
        return self.http.post(f"/sandbox/{path}", data or {}, **self._headers(secret))

    def delete(self, path: str, *, secret: bool = True) -> Any:
        """DELETE /sandbox/<path>."""
        return self.http.delete(f"/sandbox/{path}", **self._headers(secret))

    def connect(self, network: str, **fields: Any) -> Any:
        """One Sessions/Connect step for the seeded business."""
        data = {"network": network, "business_id": self.seed.business_id, **fields}
        return self.post("api/v1/sessions/connect", data, secret=False)

    def ent(self, path: str) -> str:
        """The path of an ``ent`` call of the seeded business."""
        return f"api/v1/ent/businesses/{self.seed.business_id}/{path}"


@pytest.fixture
def api(sandbox_seed: Any, client: Client) -> Caller:
    """The seeded sandbox, called in-process."""
    return Caller(http=client, seed=sandbox_seed)
