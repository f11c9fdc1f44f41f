# syntax=docker/dockerfile:1.7
# One recipe for every PocketQuant image: the five services and the TradingView
# simulator. Build from the repository root (the uv workspace), naming the
# workspace member with four build arguments (no defaults):
#
#   SOURCE   its folder                      services/bar-builder, tools/tv-simulator
#   PACKAGE  its [project].name, also the    pq-bar-builder, pq-tvsim
#            service's OpenTelemetry name
#   MODULE   what `python -m` runs           pq_bar_builder, pq_tvsim
#   PORT     the port it listens on          18094, 18765
#
#   docker build -f deploy/docker/service.Dockerfile \
#     --build-arg SOURCE=services/bar-builder --build-arg PACKAGE=pq-bar-builder \
#     --build-arg MODULE=pq_bar_builder --build-arg PORT=18094 \
#     -t pocketquant/bar-builder .
#
# compose.yaml holds each image's arguments (`docker compose build` builds them
# all); tests/unit/deploy checks that they name a real package, module and port.
# The steps that do not depend on them (base image, uv, the workspace manifests,
# the user) are one layer cache for every image, and the final images share the
# python base layers.

# Pinned by version tag. Release builds also pin the digest:
#   --build-arg PYTHON_IMAGE=python:3.11.13-slim-bookworm@sha256:<digest>
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
# Same uv as the Makefile's UV_VERSION (a test keeps them equal).
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9
# Builds the chart page (ui/); Node.js 20+ as `make install` asks.
ARG NODE_IMAGE=node:20.18.1-bookworm-slim

FROM ${UV_IMAGE} AS uv

# ---- ui: the chart page the gateway serves at /ui/, from ui/package-lock.json ------
# Built once for all images (the same layers); only the gateway reads PQ_UI_DIR.
FROM ${NODE_IMAGE} AS ui
WORKDIR /ui
COPY ui/package.json ui/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build

# ---- builder: resolve nothing, install exactly what uv.lock says -------------
FROM ${PYTHON_IMAGE} AS builder
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src

# 1. Third-party dependencies only. uv needs every workspace member's manifest
#    to read the lock; this layer is rebuilt only when a manifest or the lock changes.
COPY pyproject.toml uv.lock ./
COPY clients/python/pyproject.toml clients/python/
COPY libs/domain/pyproject.toml libs/domain/
COPY libs/launcher/pyproject.toml libs/launcher/
COPY libs/runtime/pyproject.toml libs/runtime/
COPY libs/tradingview/pyproject.toml libs/tradingview/
COPY services/bar-builder/pyproject.toml services/bar-builder/
COPY services/gateway/pyproject.toml services/gateway/
COPY services/ingest-history/pyproject.toml services/ingest-history/
COPY services/ingest-stream/pyproject.toml services/ingest-stream/
COPY services/query/pyproject.toml services/query/
COPY tools/loadgen/pyproject.toml tools/loadgen/
COPY tools/tv-simulator/pyproject.toml tools/tv-simulator/
# An ARG is declared in each stage that uses it, and after the steps every image
# shares: every RUN after it depends on its value. The runtime stage's LABEL
# refuses a build that lacks one.
ARG SOURCE
ARG PACKAGE
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package "$PACKAGE"

# 2. The workspace packages this image uses, installed as wheels
#    (--no-editable) so that the final image needs the venv and nothing else.
COPY libs/ libs/
COPY ${SOURCE}/ ${SOURCE}/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "$PACKAGE"

# ---- runtime: the venv, a healthcheck script, a non-root user ----------------
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 pq \
 && useradd --system --uid 10001 --gid pq --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin pq
ARG SOURCE
ARG PACKAGE
ARG MODULE
ARG PORT
# What the image runs, for `docker inspect`. ${VAR:?message} is expanded by
# BuildKit when it reads this file, before any step runs: a build without one of
# the four arguments stops at once with its message instead of building an
# image of nothing.
LABEL org.opencontainers.image.title="${PACKAGE:?missing --build-arg PACKAGE=pq-<name> (see the header)}" \
      pocketquant.source="${SOURCE:?missing --build-arg SOURCE=services/<name> or tools/tv-simulator (see the header)}" \
      pocketquant.module="${MODULE:?missing --build-arg MODULE=pq_<name> (see the header)}" \
      pocketquant.port="${PORT:?missing --build-arg PORT=<the port it listens on> (see the header)}"
# Owned by root and not writable by pq: the code cannot be changed at run time,
# and the root filesystem can be mounted read-only.
COPY --from=builder /app/.venv /app/.venv
COPY deploy/docker/healthcheck.py /app/healthcheck.py
COPY --from=ui /ui/dist /app/ui
# PQ_MODULE keeps MODULE for the CMD: build arguments are gone when the container runs.
# The simulator listens where PQ_TVSIM_HOST and PQ_TVSIM_PORT say (its own settings);
# compose.yaml and the dev overlay set them to 0.0.0.0 and PORT.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PQ_HTTP_HOST=0.0.0.0 \
    PQ_HTTP_PORT=${PORT} \
    OTEL_SERVICE_NAME=${PACKAGE} \
    PQ_MODULE=${MODULE} \
    PQ_UI_DIR=/app/ui
WORKDIR /app
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]
# An exec-form CMD expands no variables: the shell does, then `exec` replaces
# itself with python, which is PID 1 and receives docker stop's SIGTERM.
CMD ["/bin/sh", "-c", "exec python -m \"$PQ_MODULE\""]
