# tbits-portal container: gunicorn serving the Django project, static files by whitenoise.
#
# The base is an argument because Docker Hub cannot always be reached: `make container-test`
# builds a Debian 12 base from Debian's own packages (mmdebstrap) and passes it here. Any
# Debian-like image with python3 (3.11+), its venv module, ca-certificates and useradd will do.
ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE}

# pip's own CA list (certifi) ignores the system's; the system bundle is also where a build
# behind a TLS-inspecting proxy mounts the proxy's CA (`make container-image` does).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    BIND_ADDRESS=0.0.0.0 \
    PORT=8000 \
    GUNICORN_WORKERS=2 \
    GUNICORN_THREADS=4 \
    GUNICORN_TIMEOUT=30

# A virtualenv: Debian's own Python is "externally managed" (PEP 668) and python:*-slim's is
# the image's; either way the portal's packages stay apart from the system's.
RUN python3 -m venv "$VIRTUAL_ENV" \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin app
WORKDIR /app

# Dependencies first, from pyproject.toml, so code changes reuse this layer. The project
# itself runs from /app; only its dependencies are installed into the venv (the wheel's own
# copy is removed, whatever packages it ships). gunicorn is named here, not only in
# pyproject.toml's demo extra (with whitenoise, django-environ and django-csp, which only the
# demo project uses), for the version: 25.1 is the first with --no-control-socket.
COPY pyproject.toml README.md ./
RUN mkdir -p tbits_portal tbits_client accounts loyalty tbits_sandbox \
    && pip install ".[postgres,redis,demo]" "gunicorn>=25.1" \
    && pip uninstall -y tbits-portal \
    && rm -rf build ./*.egg-info

# Owned by root and read-only to the app user: a compromised process cannot rewrite the
# code or the static files, and the container runs with a read-only root filesystem.
# Bytecode compiled now, since nothing can write it at run time.
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0 \
    && python -m compileall -q /app

USER app:app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

# BIND_ADDRESS=127.0.0.1 keeps a container on the host's network (--network host) off the
# other interfaces, e.g. behind a proxy on the same machine; the health check calls loopback.
# exec: gunicorn is PID 1 and gets SIGTERM itself; it stops accepting connections, lets
# requests in flight finish (up to --graceful-timeout) and exits 0. Worker heartbeats on
# /dev/shm (always a tmpfs) and no control socket: nothing needs a writable disk.
CMD ["sh", "-c", "exec gunicorn tbits_portal.wsgi:application --bind ${BIND_ADDRESS:-0.0.0.0}:${PORT:-8000} --workers ${GUNICORN_WORKERS:-2} --threads ${GUNICORN_THREADS:-4} --timeout ${GUNICORN_TIMEOUT:-30} --graceful-timeout 20 --worker-tmp-dir /dev/shm --no-control-socket"]
