"""Fixtures of the security tests: the seeded sandbox behind the fault proxy.

``proxied`` is the reliability tests' fixture (see tests/reliability/conftest.py): the live
sandbox, a proxy that can change its answers in flight, and the demo fan's login.
"""

from __future__ import annotations

from tests.reliability.conftest import proxied

__all__ = ["proxied"]
