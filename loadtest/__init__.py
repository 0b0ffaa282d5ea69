"""Load and fault tooling for the portal: loopback only, bounded in requests and time.

- :mod:`loadtest.fault_proxy`: an HTTP proxy in front of the API that answers chosen paths
  with a fault (timeout, dropped connection, 5xx, 429, 401, 400, not JSON, wrong shape).
- :mod:`loadtest.stack`: the sandbox API and the portal as real gunicorn processes.
- :mod:`loadtest.fans`: virtual fans that log in and browse, and the figures they produce.
- ``python -m loadtest``: a load run with a report (see docs/reliability.md).
"""
