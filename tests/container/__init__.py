"""Tests of the built container image, run with podman (make container-test)."""
