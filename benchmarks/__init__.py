"""The performance benchmark of issue 9: ``python -m benchmarks.run`` (``make bench``).

A stand-in API with a fixed latency per call, the portal measured in-process with Django's
test client, and a naive reference that follows the docs' Runtime API Flow, side by side.
See docs/performance.md for the method and the latest figures.
"""
