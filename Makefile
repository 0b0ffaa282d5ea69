# tbits-portal: `make run` serves the demo, `make test` runs every test (but the built
# container image's: `make container-test`).
# Both create .venv and install the project on first use; nothing else is needed but
# Python 3.11+ and make.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo: debug pages, the embedded sandbox API, SQLite. Never used in production.
DEMO_ENV := DEBUG=1 TBITS_SANDBOX=1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 \
	TBITS_API_BASE_URL=http://127.0.0.1:$(PORT)/sandbox/

.PHONY: run test test-documented lint format bench chromium install clean messages screenshots \
	container-tools container-base container-image container-test

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,postgres,redis]"  # dev includes the demo extra
	@touch $@

install: $(VENV)/.installed

# The sandbox's switches come from the environment, e.g. TBITS_SANDBOX_DOCUMENTED_ONLY=1 make run
# (answers carry only the documented fields) or TBITS_SANDBOX_LATENCY_MS=300 make run;
# see README.md and tbits_sandbox/README.md.
run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py sandbox_seed
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need a Chromium that is already on the machine (Playwright's own
# download does not work offline).
chromium:
	@if [ -n "$$CHROMIUM_PATH" ] && [ -x "$$CHROMIUM_PATH" ]; then exit 0; fi; \
	if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -q && apt-get install -y -q chromium; \
	else \
		echo "No Chromium found. Install one (Debian/Ubuntu: sudo apt-get install chromium)"; \
		echo "or set CHROMIUM_PATH to a Chromium or Chrome binary, then run make test again."; \
		exit 1; \
	fi

# Every test, then the end-to-end suites again against a sandbox that answers only the
# fields the provider's docs promise (tbits_sandbox/documented/): the portal must be
# correct on both. Tests marked sandbox_full are about an extra field; they ran in the
# first pass, so the second leaves them out.
E2E_SUITES := tests/accounts tests/loyalty tests/operators tests/browser tests/hostsite
DOCUMENTED_ONLY := TBITS_SANDBOX_DOCUMENTED_ONLY=1 $(PY) -m pytest $(E2E_SUITES) \
	-m "not sandbox_full" $(PYTEST_ARGS)

# DOCUMENTED_PASS=0 leaves the second pass out: CI's second and third legs (another
# database, another Django) run the suite once, the first leg runs both passes.
DOCUMENTED_PASS ?= 1

test: install chromium
	$(PY) -m pytest $(PYTEST_ARGS)
	if [ "$(DOCUMENTED_PASS)" != 0 ]; then $(DOCUMENTED_ONLY); fi

test-documented: install chromium
	$(DOCUMENTED_ONLY)

# ruff for style; lint-imports for STYLE.md's "who may import whom" (pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The in-process tables, then a crowd of fans under gunicorn (about 90 s more; Redis on
# 127.0.0.1:6379, database 12): BENCH_ARGS=--skip-concurrency leaves the crowd out.
bench: install
	$(PY) -m benchmarks.run $(BENCH_ARGS)

messages: install
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=.venv-django6

clean:
	rm -rf $(VENV) staticfiles build dist *.egg-info db.sqlite3

# The screenshot gallery: every fan page at 390 and 1280 px, light and dark, English and
# French, into artifacts/screenshots/gallery/; the README's key pages optimised into
# docs/screenshots/ (commit those when a page changes).
screenshots: install chromium
	$(PY) -m pytest tests/browser/test_gallery.py --screenshots -p no:randomly -q $(PYTEST_ARGS)

# The container image, built and tested for real with podman (no Docker engine needed).
# The base is Debian 12 built from Debian's packages by mmdebstrap, since registry images
# (python:3.12-slim) cannot always be pulled; it is built once and kept as a local image.
# Bump the tag's number when the recipe changes, so a machine builds the new one.
CONTAINER_BASE ?= localhost/tbits-portal-base:bookworm-1
CONTAINER_IMAGE ?= localhost/tbits-portal:test
# haproxy balances the scale-out test's three portal containers (tests/container/).
# runc, and explicit ulimits: crun and podman's default ulimits fail on cgroup setups like
# CI's. loadtest/podman.py runs containers (scale-out and tests/container) with the same flags.
PODMAN_RUNTIME := --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1000:1000

container-tools:
	@missing=""; for tool in podman runc mmdebstrap haproxy; do \
		command -v $$tool >/dev/null 2>&1 || test -x /usr/sbin/$$tool \
			|| missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing$$missing for the container tests..."; \
		apt-get update -q && apt-get install -y -q podman runc mmdebstrap haproxy; \
	else \
		echo "Missing:$$missing. Install them (Debian/Ubuntu, as root):"; \
		echo "  apt-get install -y podman runc mmdebstrap haproxy"; \
		echo "then run make container-test again."; \
		exit 1; \
	fi

# The chroot in RAM and dpkg without fsync: on a loaded 2-core machine this takes 50 s
# instead of 140 s.
container-base: container-tools
	@if podman image exists $(CONTAINER_BASE); then exit 0; fi; \
	set -e; \
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi; \
	dir="$$(mktemp -d)"; trap 'rm -rf "$$dir"' EXIT; \
	echo "Building the Debian 12 base image $(CONTAINER_BASE) (once)..."; \
	mmdebstrap --quiet --variant=minbase --dpkgopt=force-unsafe-io \
		--include=python3,python3-venv,ca-certificates bookworm "$$dir/base.tar"; \
	podman import --quiet "$$dir/base.tar" $(CONTAINER_BASE)

# --network host and the host's CA bundle: pip reaches the package index the way the host
# does (through its proxy, trusting its CA); both are mounts of the build, not in the image.
container-image: container-base
	podman build $(PODMAN_RUNTIME) --network host -v /etc/ssl/certs:/etc/ssl/certs:ro \
		--format docker --build-arg BASE_IMAGE=$(CONTAINER_BASE) -t $(CONTAINER_IMAGE) .

# The image against the machine's PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379),
# in a database and a Redis db of the tests' own; every container is removed afterwards.
container-test: install container-image
	$(PY) -m pytest tests/container --container-image=$(CONTAINER_IMAGE) $(PYTEST_ARGS)
