"""Liveness and readiness probes a site mounts with one ``include()``.

::

    path("", include("accounts.health.urls")),   # GET /healthz and GET /readyz

``/healthz`` says the process is up (no I/O). ``/readyz`` says whether the database and
the cache answer (503 when one does not) and reports the API's circuit breaker without
calling the API. Both answer JSON, never a secret or a traceback. For container probes
over plain HTTP by IP, :class:`accounts.health.middleware.LivenessProbeMiddleware` answers
``/healthz`` before host validation and the HTTPS redirect. docs/operations.md.
"""
